package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.Wire;
import org.junit.jupiter.api.Test;

class SmokeTests {
    @Test
    void registersAndSends() {
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start();
                L2psPeer a = L2psPeer.connect(server.l2psUri());
                L2psPeer b = L2psPeer.connect(server.l2psUri())) {
            a.register();
            b.register();
            a.ws.await("peer_joined");
            JsonValue ack = a.send(b.pk(), "SGVsbG8=");
            assertThat(Wire.type(ack)).isEqualTo("message_sent");
            JsonValue m = b.ws.await("message");
            assertThat(Wire.str(m, "payload.from")).isEqualTo(a.pk());
        }
    }
}
