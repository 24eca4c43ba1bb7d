package io.github.demosim.clientimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The smallest client runtime (target/client-image, built in the package phase by src/build/build-image.sh) runs
 * the client application against a real server: two fresh identities register, one sends an end-to-end encrypted
 * message, the other decrypts it, all inside the image (nothing from this JVM's class path). The time limit is a
 * hang guard.
 */
class ClientImageIT {
    private static final Path LAUNCHER = Path.of("target", "client-image", "bin", "demos-im-client");

    @Test
    void theImageSendsAndReceivesAnEncryptedMessageThroughAServer() throws Exception {
        assertThat(LAUNCHER).as("the image is built in the package phase").isExecutable();
        try (DemosImServer server = DemosImServer.newBuilder().mode(ServerMode.HARDENED).host("127.0.0.1")
                .l2psPort(0).disableLegacy().inMemoryDatabase().start()) {
            Path output = Files.createTempFile("client-image", ".out");
            Process client = new ProcessBuilder(LAUNCHER.toString(), server.l2psUri().toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean finished = client.waitFor(120, TimeUnit.SECONDS);
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            System.out.println(printed);
            if (!finished) {
                client.destroyForcibly();
            }
            assertThat(finished).as("the client finished; it printed:%n%s", printed).isTrue();
            assertThat(client.exitValue()).as("exit code; it printed:%n%s", printed).isZero();
            assertThat(printed).contains("providers: transport jdk, codec jackson, crypto bouncycastle")
                    .contains("sent: DELIVERED")
                    .contains("received: hello from the smallest runtime");
            Files.delete(output);
        }
    }
}
