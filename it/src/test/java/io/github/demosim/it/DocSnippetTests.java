package io.github.demosim.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.server.DemosImServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} code block of {@code README.md} and {@code docs/*.md} is compiled and run here, so the docs
 * cannot drift from the API. The convention (also in {@code docs/contributing.md}):
 * <ul>
 *   <li>A block that declares a type or a module ({@code class}, {@code record}, {@code interface}, {@code enum},
 *       {@code module} at the start of a line) is a compilation unit. A page's units are compiled together, as a
 *       module when one of them is a {@code module-info}; a unit with a {@code main} method is run.</li>
 *   <li>Any other block is a fragment: statements, with the SDK's exported packages, the server's and the usual
 *       {@code java.*} packages imported ({@link #IMPORTS}). A page's fragments run in order as one program, as a
 *       reader who pastes them one after another gets it.</li>
 *   <li>The string literals {@code "ws://127.0.0.1:3006"} and {@code "ws://127.0.0.1:3005"} stand for the server:
 *       the run puts the URIs of an embedded server there.</li>
 *   <li>An HTML comment right above a block adjusts it: {@code <!-- java: new program -->} starts a new program
 *       (for an alternative that would clash with the page's earlier fragments),
 *       {@code <!-- java: compile only, <why> -->} compiles the block as a program of its own without running it
 *       (it needs what the build does not have), {@code <!-- java: prints <text> -->} checks that the program's
 *       standard output contains the text.</li>
 * </ul>
 */
class DocSnippetTests {
    static final List<String> IMPORTS = List.of("io.github.demosim.*", "io.github.demosim.crypto.*",
            "io.github.demosim.frame.*", "io.github.demosim.frame.l2ps.*", "io.github.demosim.server.*",
            "java.net.URI", "java.nio.charset.StandardCharsets", "java.nio.file.*", "java.time.*", "java.util.*",
            "java.util.concurrent.*");
    private static final Path ROOT = Path.of("..");
    private static final Pattern FENCE = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern MARKER = Pattern.compile("<!-- java: (.*?) -->\\s*$");
    private static final Pattern UNIT = Pattern.compile("(?m)^(public\\s+|final\\s+|abstract\\s+)*(class|record|interface|enum|module)\\s");

    @TempDir
    static Path work;

    /** One code block: where it is, its text, the markers above it. */
    record Block(Path page, int line, String code, List<String> markers) {
        String where() {
            return ROOT.relativize(page) + ":" + line;
        }

        boolean has(String marker) {
            return markers.stream().anyMatch(m -> m.startsWith(marker));
        }

        boolean isUnit() {
            return UNIT.matcher(code).find();
        }
    }

    /** Fragments run together; {@code run} false for a compile-only program. */
    record Program(List<Block> blocks, boolean run) {
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockOfTheDocsCompilesAndRuns() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : pages) {
            List<Block> blocks = blocks(page);
            List<Block> units = blocks.stream().filter(Block::isUnit).toList();
            if (!units.isEmpty()) {
                tests.add(DynamicTest.dynamicTest(ROOT.relativize(page) + " (compilation units)", () -> runUnits(page, units)));
            }
            List<Program> programs = programs(blocks.stream().filter(b -> !b.isUnit()).toList());
            for (int i = 0; i < programs.size(); i++) {
                Program program = programs.get(i);
                String name = "Doc_" + page.getFileName().toString().replaceAll("\\W", "_") + "_" + i;
                tests.add(DynamicTest.dynamicTest(program.blocks().get(0).where() + (program.run() ? "" : " (compile only)"),
                        () -> runFragments(name, program)));
            }
        }
        assertThat(tests).as("java blocks found").hasSizeGreaterThan(5);
        return tests.stream();
    }

    @org.junit.jupiter.api.Test
    void pagesShowTheExampleProjectsFilesAsTheyAre() throws IOException {
        Path examples = ROOT.resolve("examples");
        String useIt = Files.readString(ROOT.resolve("docs/use-it.md"));
        String jlink = Files.readString(ROOT.resolve("docs/jlink.md"));
        for (String file : List.of("pom.xml", "src/main/java/module-info.java", "src/main/java/com/example/chat/Main.java")) {
            assertThat(useIt).as("docs/use-it.md shows examples/%s", file).contains(Files.readString(examples.resolve(file)));
        }
        String build = Files.readString(examples.resolve("build.sh"));
        for (String tag : List.of("h2-module", "jlink")) {
            String begin = "# tag::" + tag + "[]\n";
            String part = build.substring(build.indexOf(begin) + begin.length(), build.indexOf("# end::" + tag + "[]"));
            assertThat(useIt).as("docs/use-it.md shows the %s part of examples/build.sh", tag).contains(part);
            if (tag.equals("h2-module")) {
                assertThat(jlink).as("docs/jlink.md shows the h2-module part of examples/build.sh").contains(part);
            }
        }
    }

    static List<Block> blocks(Path page) throws IOException {
        String text = Files.readString(page);
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
            List<String> markers = new ArrayList<>();
            String[] before = text.substring(0, m.start()).split("\n");
            for (int i = before.length - 1; i >= 0; i--) {
                Matcher marker = MARKER.matcher(before[i].strip());
                if (!marker.find()) {
                    break;
                }
                markers.add(marker.group(1).strip());
            }
            blocks.add(new Block(page, line, m.group(1), markers));
        }
        return blocks;
    }

    private static List<Program> programs(List<Block> fragments) {
        List<Program> programs = new ArrayList<>();
        List<Block> current = new ArrayList<>();
        for (Block b : fragments) {
            if (b.has("compile only")) {
                programs.add(new Program(List.of(b), false));
                continue;
            }
            if (b.has("new program") && !current.isEmpty()) {
                programs.add(new Program(current, true));
                current = new ArrayList<>();
            }
            current.add(b);
        }
        if (!current.isEmpty()) {
            programs.add(new Program(current, true));
        }
        return programs;
    }

    private void runFragments(String name, Program program) throws Exception {
        StringBuilder source = new StringBuilder("package docs;\n\n");
        IMPORTS.forEach(i -> source.append("import ").append(i).append(";\n"));
        source.append("\npublic final class ").append(name).append(" {\n    public static void main(String[] args) throws Exception {\n");
        for (Block b : program.blocks()) {
            source.append("        // ").append(b.where()).append('\n');
            source.append(b.code().replace("\"ws://127.0.0.1:3006\"", "System.getProperty(\"docs.l2ps\")")
                    .replace("\"ws://127.0.0.1:3005\"", "System.getProperty(\"docs.legacy\")").indent(8));
        }
        source.append("    }\n}\n");
        Path dir = Files.createDirectories(work.resolve(name));
        Path file = Files.createDirectories(dir.resolve("src/docs")).resolve(name + ".java");
        Files.writeString(file, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        compile(List.of(file), List.of("-classpath", classPath(), "-d", classes.toString()), program.blocks().get(0).where());
        if (program.run()) {
            String out = runMain(classes, "docs." + name);
            for (Block b : program.blocks()) {
                for (String marker : b.markers()) {
                    if (marker.startsWith("prints ")) {
                        assertThat(out).as("standard output of %s", b.where()).contains(marker.substring("prints ".length()));
                    }
                }
            }
        }
    }

    private void runUnits(Path page, List<Block> units) throws Exception {
        Path dir = Files.createDirectories(work.resolve("units-" + page.getFileName()));
        Path src = Files.createDirectories(dir.resolve("src"));
        List<Path> files = new ArrayList<>();
        String mainClass = null;
        boolean module = false;
        for (Block b : units) {
            Matcher pkg = Pattern.compile("(?m)^package\\s+([\\w.]+);").matcher(b.code());
            Matcher type = Pattern.compile("(?m)^(?:public\\s+|final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)").matcher(b.code());
            Path file;
            if (b.code().contains("module ") && !type.find()) {
                module = true;
                file = src.resolve("module-info.java");
            } else {
                type.reset();
                assertThat(type.find()).as("a type name in %s", b.where()).isTrue();
                String p = pkg.find() ? pkg.group(1) : "";
                file = Files.createDirectories(src.resolve(p.replace('.', '/'))).resolve(type.group(1) + ".java");
                if (b.code().contains("public static void main(")) {
                    mainClass = (p.isEmpty() ? "" : p + ".") + type.group(1);
                }
            }
            Files.writeString(file, b.code());
            files.add(file);
        }
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> options = module
                ? List.of("--module-path", modulePath(), "-d", classes.toString())
                : List.of("-classpath", classPath(), "-d", classes.toString());
        compile(files, options, ROOT.relativize(page).toString());
        if (mainClass != null) {
            runMain(classes, mainClass);   // on the class path: what it does, not how it links, is checked here
        }
    }

    private static void compile(List<Path> files, List<String> options, String where) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> all = new ArrayList<>(options);
            all.addAll(List.of("--release", "17", "-proc:none", "-encoding", "UTF-8"));
            boolean ok = javac.getTask(null, fm, diagnostics, all, null, fm.getJavaFileObjectsFromPaths(files)).call();
            StringBuilder report = new StringBuilder();
            diagnostics.getDiagnostics().forEach(d -> report.append(d).append('\n'));
            assertThat(ok).as("%s does not compile:%n%s%nsource:%n%s", where, report, Files.readString(files.get(files.size() - 1)))
                    .isTrue();
        }
    }

    /** Runs a main class from {@code classes} on this test's class path; returns what it printed. */
    private static String runMain(Path classes, String mainClass) throws Exception {
        // Each program gets a fresh server, as a reader running it against a new `demos-im server` would: a hardened
        // server binds a legacy id to the key that first registered it (legacy-and-crypto.md §C.1 #9), so pages that
        // each register "alice" with a new identity must not share one.
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start()) {
            return runMain(classes, mainClass, server);
        }
    }

    private static String runMain(Path classes, String mainClass, DemosImServer server) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setProperty("docs.l2ps", server.l2psUri().toString());
        System.setProperty("docs.legacy", server.legacyUri().toString());
        String previous = System.setProperty("demos.im.transport", "java-websocket");   // both are on this class path
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                DocSnippetTests.class.getClassLoader())) {
            Method main = loader.loadClass(mainClass).getMethod("main", String[].class);
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try {
                    main.invoke(null, (Object) new String[0]);
                } catch (InvocationTargetException e) {
                    throw new AssertionError(mainClass + " failed: " + e.getCause(), e.getCause());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            });
            run.get(120, TimeUnit.SECONDS);
        } finally {
            System.setOut(original);
            if (previous == null) {
                System.clearProperty("demos.im.transport");
            } else {
                System.setProperty("demos.im.transport", previous);
            }
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }

    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** The class path's entries that are modules (a module-info block compiles against these). */
    private static String modulePath() {
        List<String> modules = new ArrayList<>();
        for (String entry : classPath().split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.isEmpty() && Files.exists(p) && !p.toAbsolutePath().normalize().toString().contains("/it/target/")) {
                try {
                    if (!java.lang.module.ModuleFinder.of(p).findAll().isEmpty()) {
                        modules.add(entry);
                    }
                } catch (java.lang.module.FindException notAModule) {
                    // left out, as the module system would refuse it
                }
            }
        }
        return String.join(File.pathSeparator, modules);
    }
}
