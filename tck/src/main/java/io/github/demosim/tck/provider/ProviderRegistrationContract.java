package io.github.demosim.tck.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.TransportProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How a provider module is registered, checked the same way for every provider (transports, crypto, codecs).
 * A provider is declared twice, {@code provides} in {@code module-info} for the module path and a file in
 * {@code META-INF/services} for the class path, and the two must say the same; the module exports nothing to
 * everyone; the provider is a public class with a public no-argument constructor, found by its name through the
 * SPI's {@code find(name)}. A provider module's test implements this interface:
 * <pre>{@code
 * class ProviderRegistrationTests implements ProviderRegistrationContract {
 *     public Registration registration() {
 *         return new Registration(JacksonCodecProvider.class, "jackson", "io.github.demosim.codec.json");
 *     }
 * }
 * }</pre>
 * The module is read from where the provider class was loaded (the module's {@code target/classes} in its own
 * build, or its jar), so the checks see what ships.
 */
public interface ProviderRegistrationContract {

    /** The service interfaces a provider of this project may implement. */
    List<Class<?>> SPIS = List.of(TransportProvider.class, CryptoProvider.class, CodecProvider.class);

    /**
     * What a provider module declares.
     *
     * @param provider the provider class, implementing one of {@link #SPIS}
     * @param name the name users select it by, what its {@code name()} returns, e.g. {@code jackson}
     * @param moduleName the name of its module, which jlink users name with {@code --add-modules}
     */
    record Registration(Class<?> provider, String name, String moduleName) {
    }

    /**
     * Returns the registration under test.
     *
     * @return the provider class, its name and its module's name
     */
    Registration registration();

    /**
     * Returns the provider module's descriptor, as shipped: for a module's own extra checks (what it requires).
     *
     * @return the descriptor
     * @throws Exception if the module cannot be read
     */
    default ModuleDescriptor descriptor() throws Exception {
        return module().descriptor();
    }

    private Class<?> provider() {
        return registration().provider();
    }

    private String name() {
        return registration().name();
    }

    /**
     * The provider implements exactly one SPI of the api, and {@code module-info} provides it.
     *
     * @throws Exception if the module cannot be read
     */
    @Test
    default void moduleInfoProvidesTheSpiWithTheProvider() throws Exception {
        ModuleDescriptor descriptor = module().descriptor();
        assertThat(descriptor.name()).isEqualTo(registration().moduleName());
        assertThat(descriptor.packages()).contains(provider().getPackageName());
        assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name).contains("io.github.demosim");
        assertThat(providesOf(descriptor)).as("provides of module %s", descriptor.name())
                .containsEntry(spi().getName(), Set.of(provider().getName()));
    }

    /**
     * Every {@code provides} has its {@code META-INF/services} file listing the same classes, and every services
     * file has its {@code provides}: class-path and module-path users get the same providers.
     *
     * @throws Exception if the module cannot be read
     */
    @Test
    default void servicesFilesAndModuleInfoDeclareTheSameProviders() throws Exception {
        ModuleReference module = module();
        Map<String, Set<String>> servicesFiles = new TreeMap<>();
        try (ModuleReader reader = module.open()) {
            List<String> files = reader.list().filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
                    .collect(Collectors.toList());
            for (String file : files) {
                servicesFiles.put(file.substring("META-INF/services/".length()), listedClasses(reader, file));
            }
        }
        assertThat(servicesFiles).as("META-INF/services of module %s, against its module-info",
                module.descriptor().name()).isEqualTo(providesOf(module.descriptor()));
    }

    /**
     * The module exports and opens nothing to everyone: users reach the provider through the SPI only. A package
     * may be exported or opened to a named module that needs it (a library that instantiates a class by name).
     *
     * @throws Exception if the module cannot be read
     */
    @Test
    default void theModuleExportsNothingToEveryone() throws Exception {
        ModuleDescriptor descriptor = module().descriptor();
        assertThat(descriptor.isOpen()).as("open module %s", descriptor.name()).isFalse();
        assertThat(descriptor.exports()).as("exports of %s", descriptor.name())
                .allMatch(ModuleDescriptor.Exports::isQualified, "is qualified (exports ... to ...)");
        assertThat(descriptor.opens()).as("opens of %s", descriptor.name())
                .allMatch(ModuleDescriptor.Opens::isQualified, "is qualified (opens ... to ...)");
    }

    /**
     * {@link ServiceLoader} can create the provider on both paths: a public, concrete class with a public
     * no-argument constructor, whose {@code name()} is a short lowercase name.
     *
     * @throws Exception if the provider cannot be created
     */
    @Test
    default void theProviderIsAPublicClassWithAPublicNoArgumentConstructor() throws Exception {
        Class<?> provider = provider();
        assertThat(Modifier.isPublic(provider.getModifiers())).as("%s is public", provider).isTrue();
        assertThat(Modifier.isAbstract(provider.getModifiers())).as("%s is abstract", provider).isFalse();
        assertThat(Modifier.isPublic(provider.getConstructor().getModifiers())).isTrue();
        List<Object> loaded = ServiceLoader.load(spi()).stream().filter(p -> p.type() == provider)
                .map(p -> (Object) p.get()).collect(Collectors.toList());
        assertThat(loaded).as("%s from the ServiceLoader of %s", provider, spi()).hasSize(1);
        assertThat(nameOf(loaded.get(0))).isEqualTo(name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
    }

    /**
     * The SPI's {@code find(name)} finds the provider on the class path, and so does {@code find()} when it is
     * the only provider of its kind there, as in the provider module's own tests.
     *
     * @throws Exception if the lookup fails
     */
    @Test
    default void theSpiFindsItByName() throws Exception {
        Object byName = spi().getMethod("find", String.class).invoke(null, name());
        assertThat(byName).isInstanceOf(provider());
        assertThat(nameOf(byName)).isEqualTo(name());
        assertThat(spi().getMethod("find").invoke(null)).isInstanceOf(provider());
    }

    /**
     * Returns the SPI the provider implements.
     *
     * @return one of {@link #SPIS}
     */
    private Class<?> spi() {
        List<Class<?>> implemented = SPIS.stream().filter(s -> s.isAssignableFrom(provider()))
                .collect(Collectors.toList());
        assertThat(implemented).as("SPIs %s implements", provider()).hasSize(1);
        return implemented.get(0);
    }

    private ModuleReference module() throws URISyntaxException {
        Path location = Path.of(provider().getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<ModuleReference> found = ModuleFinder.of(location).findAll();
        assertThat(found).as("a module with module-info at %s", location).hasSize(1);
        return found.iterator().next();
    }

    private static Map<String, Set<String>> providesOf(ModuleDescriptor descriptor) {
        Map<String, Set<String>> provides = new TreeMap<>();
        descriptor.provides().forEach(p -> provides.put(p.service(), new TreeSet<>(p.providers())));
        return provides;
    }

    /** The class names a services file lists: one a line, {@code #} comments and blank lines ignored. */
    private static Set<String> listedClasses(ModuleReader reader, String file) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(reader.open(file).orElseThrow(),
                StandardCharsets.UTF_8))) {
            List<String> names = in.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty())
                    .collect(Collectors.toList());
            Set<String> unique = new TreeSet<>(names);
            assertThat(unique).as("%s lists a class twice: %s", file, names).hasSize(names.size());
            return unique;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The provider's {@code name()}, called through the exported SPI interface. */
    private String nameOf(Object provider) throws ReflectiveOperationException {
        return (String) spi().getMethod("name").invoke(provider);
    }
}
