package io.github.demosim.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.it.app.EmbeddedServerApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK and its embedded server as a user's application sees them in its logs: no SLF4J binding shipped (an
 * application with its own gets no SLF4J warning), nothing on stderr by default, and numbers in log lines
 * without thousands separators.
 */
class LoggingHygieneTests {
    private static final Set<String> APP_MODULES = Set.of("io.github.demosim.server", "io.github.demosim.codec.json",
            "io.github.demosim.crypto.bouncycastle", "io.github.demosim.transport.javawebsocket", "com.h2database");

    @Test
    void anApplicationWithItsOwnSlf4jBindingGetsNoSlf4jWarning() throws Exception {
        List<Path> bindings = ChildJvm.jarsIn(ChildJvm.APP_BINDINGS);
        assertThat(bindings).as("slf4j-simple, copied by it/pom.xml").isNotEmpty();
        List<Path> modules = ChildJvm.modules(union(APP_MODULES, Set.of("org.slf4j.simple")), bindings);
        for (boolean modulePath : new boolean[] {true, false}) {
            ChildJvm.Run run = ChildJvm.run(EmbeddedServerApp.class.getName(), modules, modulePath, List.of());
            String where = modulePath ? "module path" : "class path";
            assertThat(run.exitCode()).as("exit code on the %s; stderr:%n%s", where, run.stderr()).isZero();
            assertThat(run.stdout()).as(where).contains("received hello");
            // slf4j-simple prints Jetty's INFO lines: proof that the application's binding is the one in use
            assertThat(run.stderr()).as("stderr on the %s", where).contains("org.eclipse.jetty")
                    .doesNotContain("SLF4J(");
        }
    }

    @Test
    void anEmbeddedServerPrintsNothingByDefault() throws Exception {
        // no SLF4J binding at all: SLF4J's own three-line notice about that is the application's to silence
        List<Path> modules = ChildJvm.modules(APP_MODULES, List.of());
        ChildJvm.Run run = ChildJvm.run(EmbeddedServerApp.class.getName(), modules, true, List.of());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr().lines().filter(line -> !line.startsWith("SLF4J(W): ")))
                .as("stderr with the default logging configuration").isEmpty();
    }

    @Test
    void logLinesPrintPortsWithoutThousandsSeparators(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("logging.properties");
        Files.writeString(config, String.join("\n", "handlers=java.util.logging.ConsoleHandler",
                "java.util.logging.ConsoleHandler.level=ALL", "io.github.demosim.level=FINE", ".level=WARNING", ""));
        List<Path> modules = ChildJvm.modules(APP_MODULES, List.of());
        ChildJvm.Run run = ChildJvm.run(EmbeddedServerApp.class.getName(), modules, false,
                List.of("-Djava.util.logging.config.file=" + config));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).containsPattern("demos-im server started \\(HARDENED\\): L2PS port \\d{4,5}, "
                + "legacy port \\d{4,5}").doesNotContainPattern("port \\d{1,2},\\d{3}");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
