package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.Wire;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 8: the hardened rate limit is per connection until it registers, then per key, so reconnecting
 * with the same key does not refill it (docs/server.md, "Limits"). Reference mode has none.
 */
class RateLimitTests {

    /** Sends {@code n} discover frames at once; returns how many were processed (the rest are RATE_LIMITED). */
    private static int flood(L2psPeer p, int n) {
        for (int i = 0; i < n; i++) {
            p.ws.send(Wire.frame("discover", Wire.obj(), System.currentTimeMillis()));
        }
        int ok = 0;
        for (int i = 0; i < n; i++) {
            JsonValue f = p.ws.awaitFrame(x -> java.util.List.of("discover_response", "error").contains(Wire.type(x)));
            if ("discover_response".equals(Wire.type(f))) {
                ok++;
            } else {
                assertThat(Wire.str(f, "payload.code")).isEqualTo("RATE_LIMITED");
            }
        }
        return ok;
    }

    @Test
    void aKeyKeepsItsBucketAcrossConnections() {
        // 20 frames/s in bursts of 50: a reconnection a moment later finds the bucket nearly empty.
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).disableLegacy().inMemoryDatabase()
                .rateLimit(20, 50).start()) {
            Ed25519Key key = Ed25519Key.random();
            int first;
            try (L2psPeer a = L2psPeer.connect(server.l2psUri(), key)) {
                a.register();
                first = flood(a, 100);
            }
            int second;
            try (L2psPeer again = L2psPeer.connect(server.l2psUri(), key)) {
                again.register();
                second = flood(again, 100);
            }
            assertThat(first).isBetween(49, 60);
            assertThat(second).as("a reconnection does not refill the key's bucket").isLessThan(first / 2);
            // Another key has a bucket of its own.
            try (L2psPeer other = L2psPeer.connect(server.l2psUri())) {
                other.register();
                assertThat(flood(other, 60)).isGreaterThanOrEqualTo(49);
            }
        }
    }
}
