package io.github.demosim.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.tck.codec.CodecContract;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every public signature of the packages the published modules export, checked in as {@code <module>/exported-api.txt}
 * and compared here, so that an API change is always a visible diff in review. After an intended change, regenerate
 * the listings with {@code mvn -B verify -pl it -am -Dtest=ExportedApiTests -Ddemos.im.updateApiListing=true}
 * (the other modules' tests are skipped by the filter) and commit them with the change.
 */
class ExportedApiTests {

    @ParameterizedTest
    @ValueSource(strings = {"api", "server", "tck"})
    void theExportedApiIsTheCheckedInListing(String module) throws Exception {
        Class<?> anchor = switch (module) {
            case "api" -> Identity.class;
            case "server" -> DemosImServer.class;
            default -> CodecContract.class;
        };
        String actual = listing(location(anchor));
        Path checkedIn = Path.of("..", module, "exported-api.txt");
        if (Boolean.getBoolean("demos.im.updateApiListing")) {
            Files.writeString(checkedIn, actual);
        }
        Path written = Files.createDirectories(Path.of("target", "exported-api")).resolve(module + ".txt");
        Files.writeString(written, actual);
        assertThat(Files.exists(checkedIn)).as("%s exists", checkedIn).isTrue();
        assertThat(actual).as("the exported API of %s differs from %s (this build's listing: %s). If the change is "
                + "intended, regenerate with -Ddemos.im.updateApiListing=true and commit it", module, checkedIn,
                written.toAbsolutePath()).isEqualTo(Files.readString(checkedIn));
    }

    /** The listing of the module at {@code location}: one line per public type and per public or protected member. */
    static String listing(Path location) throws IOException {
        ModuleDescriptor descriptor = ModuleFinder.of(location).findAll().iterator().next().descriptor();
        Set<String> exported = descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        StringBuilder out = new StringBuilder("# The exported API of module " + descriptor.name()
                + ": every public type and every public or protected member of the packages it exports.\n"
                + "# Generated and compared by it/.../ExportedApiTests; regenerate with -Ddemos.im.updateApiListing=true.\n");
        for (String pkg : exported) {
            out.append("\npackage ").append(pkg).append('\n');
            for (Class<?> type : types(location, pkg)) {
                out.append('\n').append(describe(type)).append('\n');
                for (String member : members(type)) {
                    out.append("    ").append(member).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static List<Class<?>> types(Path location, String pkg) throws IOException {
        List<String> names = new ArrayList<>();
        try (FileSystem fs = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
            Path root = fs == null ? location : fs.getPath("/");
            Path dir = root.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
                        .forEach(n -> names.add(pkg + "." + n.substring(0, n.length() - ".class".length())));
            }
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            Class<?> c;
            try {
                c = Class.forName(name, false, ExportedApiTests.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            if (isVisible(c)) {
                types.add(c);
            }
        }
        types.sort((a, b) -> a.getName().compareTo(b.getName()));
        return types;
    }

    private static boolean isVisible(Class<?> c) {
        for (Class<?> t = c; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Class<?> c) {
        int mods = c.getModifiers() & (c.isInterface() ? Modifier.interfaceModifiers() : Modifier.classModifiers());
        String kind = c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum"
                : c.isRecord() ? "record" : "class";
        if (c.isInterface() || c.isEnum() || c.isRecord()) {
            mods &= ~(Modifier.ABSTRACT | Modifier.FINAL | Modifier.STATIC);
            if (c.isInterface()) {
                mods &= ~Modifier.STATIC;
            }
        }
        StringBuilder b = new StringBuilder();
        String m = Modifier.toString(mods);
        b.append(m.isEmpty() ? "" : m + " ").append(kind).append(' ').append(c.getTypeName()).append(typeParameters(c.getTypeParameters()));
        if (c.isRecord()) {
            b.append(Arrays.stream(c.getRecordComponents()).map(rc -> rc.getGenericType().getTypeName() + " " + rc.getName())
                    .collect(Collectors.joining(", ", "(", ")")));
        }
        Type superclass = c.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !c.isEnum() && !c.isRecord()) {
            b.append(" extends ").append(superclass.getTypeName());
        }
        if (c.getGenericInterfaces().length > 0) {
            b.append(c.isInterface() ? " extends " : " implements ").append(Arrays.stream(c.getGenericInterfaces())
                    .map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (c.isSealed()) {
            b.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses()).map(Class::getTypeName)
                    .sorted().collect(Collectors.joining(", ")));
        }
        return b.toString();
    }

    private static String typeParameters(TypeVariable<?>[] parameters) {
        if (parameters.length == 0) {
            return "";
        }
        return Arrays.stream(parameters).map(t -> {
            Type[] bounds = t.getBounds();
            boolean plain = bounds.length == 1 && bounds[0] == Object.class;
            return t.getName() + (plain ? "" : " extends " + Arrays.stream(bounds).map(Type::getTypeName)
                    .collect(Collectors.joining(" & ")));
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    private static Set<String> members(Class<?> c) {
        Set<String> lines = new TreeSet<>();
        String prefix = c.getTypeName() + ".";
        if (c.isEnum()) {
            for (Object constant : c.getEnumConstants()) {
                lines.add("constant " + ((Enum<?>) constant).name());
            }
        }
        for (Field f : c.getDeclaredFields()) {
            if (visible(f) && !f.isEnumConstant() && !f.isSynthetic()) {
                lines.add("field " + f.toGenericString().replace(prefix, ""));
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (visible(k) && !k.isSynthetic()) {
                lines.add("constructor " + signature(k, prefix));
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                lines.add("method " + signature(m, prefix));
            }
        }
        return lines;
    }

    private static boolean visible(Member m) {
        return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
    }

    private static String signature(Executable e, String prefix) {
        return e.toGenericString().replace(prefix, "");
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
