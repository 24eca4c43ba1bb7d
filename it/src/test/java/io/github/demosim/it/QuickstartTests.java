package io.github.demosim.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.server.DemosImServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quickstart documents show code that compiles and runs: it is kept here and included in them verbatim. */
class QuickstartTests {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Path SOURCES = Path.of("src", "test", "java", "io", "github", "demosim", "it");

    @Test
    void l2psQuickstartRuns() throws Exception {
        String out;
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase().start()) {
            out = captured(() -> QuickstartL2ps.run(server.l2psUri()));
        }
        assertThat(out).contains("bob received: hello bob").contains("alice's message was DELIVERED")
                .contains("online: ").contains("history: ");
    }

    @Test
    void l2psQuickstartDocumentShowsTheTestedCode() throws IOException {
        assertThat(Files.readString(DOCS.resolve("quickstart-l2ps.md")))
                .contains(snippet(SOURCES.resolve("QuickstartL2ps.java")));
    }

    @Test
    void legacyQuickstartRuns() throws Exception {
        String out;
        try (DemosImServer server = DemosImServer.newBuilder().legacyPort(0).disableL2ps().inMemoryDatabase().start()) {
            out = captured(() -> {
                try {
                    QuickstartLegacy.run(server.legacyUri());
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertThat(out).contains("alice → bob: hello bob").contains("online: [");
    }

    @Test
    void legacyQuickstartDocumentShowsTheTestedCode() throws IOException {
        assertThat(Files.readString(DOCS.resolve("quickstart-legacy.md")))
                .contains(snippet(SOURCES.resolve("QuickstartLegacy.java")));
    }

    /** The lines between the tags, with the method's indentation removed. */
    static String snippet(Path source) throws IOException {
        List<String> lines = Files.readAllLines(source);
        int from = indexOf(lines, "// tag::quickstart[]") + 1;
        int to = indexOf(lines, "// end::quickstart[]");
        int indent = lines.get(from).length() - lines.get(from).stripLeading().length();
        StringBuilder b = new StringBuilder();
        for (String line : lines.subList(from, to)) {
            b.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
        }
        return b.toString();
    }

    private static int indexOf(List<String> lines, String tag) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(tag)) {
                return i;
            }
        }
        throw new AssertionError("no " + tag);
    }

    /** Runs {@code body} with the system property choosing the quickstart's transport (all three are present). */
    static String captured(Runnable body) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        String previous = System.setProperty("demos.im.transport", "jdk");
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
            if (previous == null) {
                System.clearProperty("demos.im.transport");
            } else {
                System.setProperty("demos.im.transport", previous);
            }
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
