package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ImException;
import io.github.demosim.server.support.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H2 serves one server process: a second one on the same file is refused, saying why and what to use instead. */
class SingleProcessH2Tests {
    @Test
    void aSecondServerProcessOnTheSameH2FileFailsAtStartWithAClearError(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("demos-im");
        ServerProcess.Started first = ServerProcess.start(db);
        try {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process second = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                    ServerProcess.class.getName(), db.toString()).redirectErrorStream(true).start();
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("the second process ends").isTrue();
            assertThat(second.exitValue()).as("exit status; output:\n" + out).isNotZero();
            assertThat(out).doesNotContain("PORTS ")
                    .contains("[IM-SERVER-002]")
                    .contains("another process has this H2 file open")
                    .contains("H2 is a single-process database")
                    .contains("use PostgreSQL (--db jdbc:postgresql://...)");
            assertThat(first.process().isAlive()).as("the first one serves on").isTrue();
        } finally {
            first.kill();
        }
    }

    @Test
    void anH2UrlThatLetsOtherProcessesInIsRefused(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("x").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        assertThatThrownBy(() -> DemosImServer.newBuilder().l2psPort(0).legacyPort(0).databaseUrl(url).start())
                .isInstanceOf(ImException.class)
                .hasMessageContaining("AUTO_SERVER=TRUE")
                .hasMessageContaining("H2 serves one demos-im server process only")
                .hasMessageContaining("use PostgreSQL");
    }
}
