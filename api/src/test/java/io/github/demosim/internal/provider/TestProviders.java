package io.github.demosim.internal.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds tiny providers of the three SPIs at test time, compiled with the JDK's compiler, as class-path
 * directories (with {@code META-INF/services}) or as named modules (with {@code provides}), plus a named
 * client module, and launches a JVM on a module path. The providers' methods other than {@code name()}
 * throw; discovery never calls them.
 */
final class TestProviders {
    /** The SPIs, by the short key the tests and the client module use. */
    static final List<String> SPIS = List.of("transport", "crypto", "codec");

    private TestProviders() {
    }

    /** The SPI interface of a key. */
    static Class<?> spi(String key) {
        switch (key) {
            case "transport":
                return io.github.demosim.spi.TransportProvider.class;
            case "crypto":
                return io.github.demosim.spi.CryptoProvider.class;
            case "codec":
                return io.github.demosim.spi.CodecProvider.class;
            default:
                throw new IllegalArgumentException(key);
        }
    }

    /** The directory (or jar) holding the api's compiled classes, module-info included. */
    static Path apiClasses() {
        try {
            return Path.of(Providers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alpha} and {@code codec} give {@code AlphaCodecProvider}. */
    static String simpleName(String provider, String spiKey) {
        return capitalize(provider) + capitalize(spiKey) + "Provider";
    }

    private static String capitalize(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    /**
     * The source of a provider class: {@code name()} returns {@code name}; every other abstract method of the
     * SPI, found by reflection so the source follows SPI changes, throws.
     */
    static String source(String pkg, String simpleName, Class<?> spi, String name) {
        StringBuilder s = new StringBuilder("package " + pkg + ";\n\npublic class " + simpleName + " implements "
                + spi.getName() + " {\n    public " + simpleName + "() {\n    }\n\n"
                + "    @Override\n    public String name() {\n        return \"" + name + "\";\n    }\n");
        for (Method m : spi.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers()) || m.getName().equals("name")) {
                continue;
            }
            List<String> declared = new ArrayList<>();
            var types = m.getGenericParameterTypes();
            for (int i = 0; i < types.length; i++) {
                declared.add(types[i].getTypeName() + " p" + i);
            }
            s.append("\n    @Override\n    public ").append(m.getGenericReturnType().getTypeName()).append(' ')
                    .append(m.getName()).append('(').append(String.join(", ", declared)).append(") {\n")
                    .append("        throw new UnsupportedOperationException(\"test provider\");\n    }\n");
        }
        return s.append("}\n").toString();
    }

    /**
     * Compiles a provider for the class path: {@code <dir>/<provider>/<spi>} holds the class and its
     * {@code META-INF/services} entry.
     *
     * @return the directory to put on the class path
     */
    static Path classPathProvider(Path dir, String provider, String spiKey, String name) {
        Class<?> spi = spi(spiKey);
        String pkg = provider + "." + spiKey;
        String simple = simpleName(provider, spiKey);
        Path src = dir.resolve("src-" + provider + "-" + spiKey);
        Path out = dir.resolve(provider + "-" + spiKey);
        Path file = write(src.resolve(pkg.replace('.', '/')).resolve(simple + ".java"), source(pkg, simple, spi, name));
        compile(List.of(file), out, List.of("--class-path", apiClasses().toString()));
        write(out.resolve("META-INF/services/" + spi.getName()), pkg + "." + simple + "\n");
        return out;
    }

    /**
     * Compiles a provider as a named module {@code <provider>.<spi>} that {@code provides} the SPI.
     *
     * @return the exploded module directory
     */
    static Path moduleProvider(Path dir, String provider, String spiKey, String name) {
        Class<?> spi = spi(spiKey);
        String module = provider + "." + spiKey;
        String simple = simpleName(provider, spiKey);
        Path src = dir.resolve("src-" + module);
        Path out = dir.resolve("mod-" + module);
        Path file = write(src.resolve(module.replace('.', '/')).resolve(simple + ".java"),
                source(module, simple, spi, name));
        Path info = write(src.resolve("module-info.java"), "module " + module + " {\n    requires io.github.demosim;\n"
                + "    provides " + spi.getName() + " with " + module + "." + simple + ";\n}\n");
        compile(List.of(info, file), out, List.of("--module-path", apiClasses().toString()));
        return out;
    }

    /**
     * Compiles the named module {@code testclient}: its main class looks up each SPI named on the command line
     * with {@code find()} and prints one line per SPI, {@code <spi> OK <name> <class> <module>} or
     * {@code <spi> <ExceptionClass> <message>}; the exit status is the number of failures.
     *
     * @return the exploded module directory
     */
    static Path clientModule(Path dir) {
        Path src = dir.resolve("src-testclient");
        Path info = write(src.resolve("module-info.java"), "module testclient {\n    requires io.github.demosim;\n}\n");
        Path main = write(src.resolve("testclient/Main.java"), String.join("\n",
                "package testclient;",
                "",
                "public class Main {",
                "    public static void main(String[] args) {",
                "        int failures = 0;",
                "        for (String spi : args) {",
                "            try {",
                "                Object p;",
                "                String name;",
                "                if (spi.equals(\"transport\")) {",
                "                    var t = io.github.demosim.spi.TransportProvider.find();",
                "                    p = t;",
                "                    name = t.name();",
                "                } else if (spi.equals(\"crypto\")) {",
                "                    var c = io.github.demosim.spi.CryptoProvider.find();",
                "                    p = c;",
                "                    name = c.name();",
                "                } else {",
                "                    var c = io.github.demosim.spi.CodecProvider.find();",
                "                    p = c;",
                "                    name = c.name();",
                "                }",
                "                System.out.println(spi + \" OK \" + name + \" \" + p.getClass().getName() + \" \"",
                "                        + p.getClass().getModule().getName());",
                "            } catch (io.github.demosim.ImException e) {",
                "                failures++;",
                "                System.out.println(spi + \" \" + e.getClass().getSimpleName() + \" \" + e.getMessage());",
                "            }",
                "        }",
                "        System.exit(failures);",
                "    }",
                "}",
                ""));
        Path out = dir.resolve("mod-testclient");
        compile(List.of(info, main), out, List.of("--module-path", apiClasses().toString()));
        return out;
    }

    /** The result of a child JVM. */
    record Run(int exitCode, List<String> stdout, String stderr) {
    }

    /**
     * Runs {@code java <jvmOptions> --module-path <modules> -m testclient/testclient.Main <spis>}.
     */
    static Run runClient(Path dir, List<Path> modulePath, List<String> jvmOptions, List<String> spis) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("--module-path");
        command.add(modulePath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
        command.add("-m");
        command.add("testclient/testclient.Main");
        command.addAll(spis);
        try {
            // Output to files: no pipe can fill up, and waitFor's timeout is a real hang guard.
            Path output = Files.createTempFile(dir, "stdout", ".txt");
            Path errors = Files.createTempFile(dir, "stderr", ".txt");
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child JVM did not exit within 60 s: " + command);
            }
            return new Run(process.exitValue(), Files.readAllLines(output, StandardCharsets.UTF_8),
                    Files.readString(errors, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static void compile(List<Path> sources, Path out, List<String> options) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK, not a JRE");
        }
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--release", "17", "-d", out.toString()));
        sources.forEach(s -> args.add(s.toString()));
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        int status = javac.run(null, null, errors, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("javac failed for " + sources + ":\n" + errors.toString(StandardCharsets.UTF_8));
        }
    }

    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
