package io.github.demosim.it;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a JVM of its own, on the module path or the class path, with the modules it needs. */
final class ChildJvm {
    /** Where Maven copies the SLF4J binding that plays "the application's own binding" (see it/pom.xml). */
    static final Path APP_BINDINGS = Path.of("target", "app-bindings");

    private ChildJvm() {
    }

    /** What a run printed and returned. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    /**
     * The test class path's entries that make up {@code roots} and everything they require, found the way the
     * module system would (Surefire passes the real class path in {@code surefire.test.class.path}).
     */
    static List<Path> modules(Set<String> roots, List<Path> extra) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> entries = new ArrayList<>(extra);
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.isEmpty() && Files.exists(p) && isModule(p)) {
                entries.add(p);
            }
        }
        Configuration resolved = Configuration.resolve(ModuleFinder.ofSystem(), List.of(Configuration.empty()),
                ModuleFinder.of(entries.toArray(Path[]::new)), roots);
        Set<Path> path = new LinkedHashSet<>();
        for (ResolvedModule module : resolved.modules()) {
            module.reference().location().filter(u -> "file".equals(u.getScheme())).ifPresent(u -> path.add(Path.of(u)));
        }
        return List.copyOf(path);
    }

    private static boolean isModule(Path entry) {
        try {
            return !ModuleFinder.of(entry).findAll().isEmpty();
        } catch (FindException e) {
            return false;
        }
    }

    /** Every jar in a directory. */
    static List<Path> jarsIn(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /**
     * Runs {@code mainClass} from this module's test classes with {@code modules} on the module path (all of
     * them resolved, as {@code --add-modules} would name them) or on the class path.
     */
    static Run run(String mainClass, List<Path> modules, boolean modulePath, List<String> jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String testClasses = Path.of("target", "test-classes").toAbsolutePath().toString();
        String path = String.join(File.pathSeparator, modules.stream().map(Path::toString).toList());
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        if (modulePath) {
            command.addAll(List.of("--module-path", path, "--add-modules", "ALL-MODULE-PATH", "-cp", testClasses));
        } else {
            command.addAll(List.of("-cp", path + File.pathSeparator + testClasses));
        }
        command.add(mainClass);
        Path out = Files.createTempFile("child-out", ".txt");
        Path err = Files.createTempFile("child-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("did not finish within 120 s: " + command + "\nstderr:\n" + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
