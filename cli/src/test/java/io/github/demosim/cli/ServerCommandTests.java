package io.github.demosim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code demos-im server}: its database checks, its limits, and its exit when the database fails for good. */
class ServerCommandTests {

    @Test
    void aMistypedDatabaseUrlIsRefusedWithTheFix(@TempDir Path dir) {
        String typo = "jdbc:h2:fil:" + dir.resolve("x").toAbsolutePath();
        CliTests.Run run = CliTests.run("server", "--l2ps-port", "0", "--legacy-port", "0", "--db", typo);
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("server: ").contains("did you mean jdbc:h2:file:")
                .doesNotContain("\tat ");
        assertThat(Files.exists(Path.of("fil:"))).isFalse();
    }

    @Test
    void limitsAreCheckedAndShown() {
        CliTests.Run bad = CliTests.run("server", "--l2ps-port", "0", "--legacy-port", "0", "--max-outgoing-buffer",
                "lots");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("--max-outgoing-buffer must be a size such as 1048576, 512k, 16MiB or 1g");
        CliTests.Run huge = CliTests.run("server", "--l2ps-port", "0", "--legacy-port", "0", "--disk-reserve",
                "99999999999999999999g");
        assertThat(huge.status()).isEqualTo(1);
        assertThat(huge.err()).contains("--disk-reserve is too large: 99999999999999999999g").doesNotContain("\tat ");
        CliTests.Run rate = CliTests.run("server", "--l2ps-port", "0", "--legacy-port", "0", "--rate-limit-per-ip",
                "fast");
        assertThat(rate.err()).contains("--rate-limit-per-ip must be PER_SECOND:BURST");
        CliTests.Run workers = CliTests.run("server", "--l2ps-port", "0", "--legacy-port", "0", "--workers", "0");
        assertThat(workers.status()).isEqualTo(1);
        assertThat(workers.err()).contains("--workers must be at least 1; was 0");
        CliTests.Run delay = CliTests.run("server", "--l2ps-port", "0", "--legacy-port", "0", "--store-commit-delay",
                "500");
        assertThat(delay.status()).isEqualTo(1);
        assertThat(delay.err()).contains("--store-commit-delay must be from 0 (off) to 100 ms; was 500");
    }

    @Test
    void theServerExitsWithStatusOneWhenItsDatabaseFailsForGood(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("db");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> cmd.execute("server", "--l2ps-port",
                "0", "--legacy-port", "0", "--db", "jdbc:h2:file:" + db.toAbsolutePath(), "--batch-interval", "200",
                "--db-recovery-timeout", "500", "--max-connections-per-ip", "64", "--max-offline-queue-size", "8m",
                "--disk-reserve", "3m"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString().contains("Press Ctrl-C")) {
            assertThat(System.nanoTime()).as("the server started: %s %s", out, err).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(out.toString()).contains("64 per address", "8 MiB", "3 MiB kept free on the H2 file's disk");
        // H2 closes its store after an error inside it (disk, memory); here the files are gone as well.
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath())) {
            ((org.h2.engine.SessionLocal) ((org.h2.jdbc.JdbcConnection) c).getSession()).getDatabase().getStore()
                    .getMvStore().closeImmediately();
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(err.toString()).contains("server: The demos-im server stopped: its database failed")
                .contains("[IM-SERVER-003]");
    }
}
