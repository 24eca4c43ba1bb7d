package io.github.demosim.tck.transport;

import io.github.demosim.spi.TransportProvider;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A tiny client, compiled at test time as the named module {@code demos.tck.client}, that knows nothing but the
 * SPI ({@link TransportProvider#find()}): it tries URIs that must fail and prints why, then connects, sends one
 * frame, prints the echo and closes. It runs in
 * a JVM of its own, on the module path or the class path, with the api, one transport module and that
 * module's dependencies, taken from the test class path. Swapping the transport is swapping one entry of the
 * path; the client's code stays the same.
 */
final class ModulePathClient {
    private static final String MODULE = "demos.tck.client";

    private static final String MODULE_INFO = "module " + MODULE + " {\n    requires io.github.demosim;\n}\n";

    private static final String MAIN = String.join("\n",
            "package demos.tck.client;",
            "",
            "import io.github.demosim.spi.TransportListener;",
            "import io.github.demosim.spi.TransportOptions;",
            "import io.github.demosim.spi.TransportProvider;",
            "import io.github.demosim.spi.TransportSession;",
            "import java.net.URI;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.TimeUnit;",
            "",
            "public final class Main {",
            "    public static void main(String[] args) throws Exception {",
            "        TransportProvider provider = TransportProvider.find();",
            "        System.out.println(\"provider \" + provider.name());",
            "        for (int i = 2; i < args.length; i++) {",
            "            try {",
            "                provider.connect(TransportOptions.of(URI.create(args[i])), (s, t) -> { })",
            "                        .get(30, TimeUnit.SECONDS).abort();",
            "                System.out.println(\"unexpectedly connected to \" + args[i]);",
            "            } catch (java.util.concurrent.ExecutionException e) {",
            "                System.out.println(\"failed: \" + e.getCause().getMessage());",
            "            }",
            "        }",
            "        CompletableFuture<String> echo = new CompletableFuture<>();",
            "        CompletableFuture<Integer> closed = new CompletableFuture<>();",
            "        TransportSession session = provider.connect(TransportOptions.of(URI.create(args[0])),",
            "                new TransportListener() {",
            "                    @Override",
            "                    public void onText(TransportSession s, String text) {",
            "                        echo.complete(text);",
            "                    }",
            "",
            "                    @Override",
            "                    public void onClosed(TransportSession s, int code, String reason, boolean remote) {",
            "                        closed.complete(code);",
            "                    }",
            "                }).get(30, TimeUnit.SECONDS);",
            "        session.sendText(\"hello from the \" + args[1] + \" path\");",
            "        System.out.println(\"echo: \" + echo.get(30, TimeUnit.SECONDS));",
            "        session.close(1000, \"bye\").get(30, TimeUnit.SECONDS);",
            "        System.out.println(\"closed \" + closed.get(30, TimeUnit.SECONDS));",
            "    }",
            "}",
            "");

    /** What one run printed. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    private final Path classes;

    private ModulePathClient(Path classes) {
        this.classes = classes;
    }

    /** Compiles the client module against the api module. */
    static ModulePathClient compile() throws IOException {
        Path dir = Files.createTempDirectory("demos-im-client");
        Path sources = dir.resolve("src");
        Path pkg = Files.createDirectories(sources.resolve("demos/tck/client"));
        Files.writeString(sources.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(pkg.resolve("Main.java"), MAIN);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK, not a JRE");
        }
        StringWriter diagnostics = new StringWriter();
        Boolean ok = compiler.getTask(diagnostics, null, null, List.of("--release", "17", "-d", classes.toString(),
                        "--module-path", location(TransportProvider.class).toString()), null,
                compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(
                        sources.resolve("module-info.java"), pkg.resolve("Main.java")))
                .call();
        if (!ok) {
            throw new IllegalStateException("the client module does not compile:\n" + diagnostics);
        }
        return new ModulePathClient(classes);
    }

    /**
     * Runs the client in a new JVM.
     *
     * @param providerClass a class of the transport module to put on the path
     * @param uri the echo server
     * @param failing URIs whose connect must fail
     * @param modulePath {@code true} for {@code --module-path … -m}, {@code false} for {@code -cp}
     */
    Run run(Class<?> providerClass, URI uri, List<URI> failing, boolean modulePath)
            throws IOException, InterruptedException {
        List<Path> path = new ArrayList<>();
        path.add(classes);
        path.addAll(transportModulePath(location(providerClass)));
        String joined = path.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(modulePath
                ? List.of(java, "--module-path", joined, "-m", MODULE + "/demos.tck.client.Main", uri.toString(),
                        "module")
                : List.of(java, "-cp", joined, "demos.tck.client.Main", uri.toString(), "class"));
        failing.forEach(u -> command.add(u.toString()));
        Path out = Files.createTempFile("client", ".out");
        Path err = Files.createTempFile("client", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the client did not finish within 90 s: " + command);
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The transport module at {@code transportLocation} and every module it requires, found among the test
     * class path's entries (Surefire passes the real class path in {@code surefire.test.class.path}).
     */
    private static Set<Path> transportModulePath(Path transportLocation) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> entries = new ArrayList<>();
        entries.add(transportLocation);
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.isEmpty() && Files.exists(p) && !p.equals(transportLocation) && isModule(p)) {
                entries.add(p);
            }
        }
        ModuleFinder candidates = ModuleFinder.of(entries.toArray(Path[]::new));
        String root = ModuleFinder.of(transportLocation).findAll().stream()
                .map(ref -> ref.descriptor().name()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no module at " + transportLocation));
        Configuration resolved = Configuration.resolve(ModuleFinder.ofSystem(), List.of(Configuration.empty()),
                candidates, Set.of(root));
        Set<Path> path = new LinkedHashSet<>();
        for (ResolvedModule module : resolved.modules()) {
            ModuleReference reference = module.reference();
            reference.location().filter(u -> "file".equals(u.getScheme())).ifPresent(u -> path.add(Path.of(u)));
        }
        return path;
    }

    /** Whether the entry can be a module at all (a test-only jar may not be; it is then simply left out). */
    private static boolean isModule(Path entry) {
        try {
            return !ModuleFinder.of(entry).findAll().isEmpty();
        } catch (FindException e) {
            return false;
        }
    }
}
