package io.github.demosim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The public API's Javadoc builds on the baseline JDK with every doclint check on: no missing comment on an
 * exported type or member, no tag the JDK 17 tool does not know, no broken HTML or reference.
 */
class ApiJavadocTests {

    @Test
    void javadocOfTheApiModulePassesDoclint() throws Exception {
        ToolProvider javadoc = ToolProvider.findFirst("javadoc")
                .orElseThrow(() -> new AssertionError("this JDK has no javadoc tool; the build needs a full JDK"));
        Path sources = Path.of("src/main/java").toAbsolutePath();
        Path out = Files.createDirectories(Path.of("target/javadoc-check"));
        StringWriter log = new StringWriter();
        PrintWriter writer = new PrintWriter(log);
        int exit = javadoc.run(writer, writer, "-quiet", "-Xdoclint:all", "-Werror", "-d", out.toString(),
                "--module-source-path", "io.github.demosim=" + sources, "--module", "io.github.demosim");
        writer.flush();
        assertThat(log.toString()).as("javadoc output").doesNotContain("warning", "error");
        assertThat(exit).as("javadoc exit code; output:%n%s", log).isZero();
    }
}
