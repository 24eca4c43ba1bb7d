package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 3: with a connection's sends pipelined, many rows for one offline recipient can be waiting for
 * their group commit at once; the offline queue bound counts them (the store alone sees only committed rows).
 */
class PipelinedQueueBoundTests extends ServerTestBase {
    private static final int BOUND = 5;

    @Override
    protected ServerMode mode() {
        return ServerMode.HARDENED;
    }

    @Override
    protected void configure(DemosImServer.Builder builder) {
        builder.rateLimit(100_000, 100_000).limits(ServerLimits.defaults().withOfflineQueue(BOUND, 1L << 20));
    }

    @Test
    void pipelinedSendsToAnOfflineRecipientStopAtTheQueueBound() {
        L2psPeer a = registered(freshUid());
        String offline = Ed25519Key.random().publicKeyHex();
        int sends = 4 * BOUND;
        for (int i = 0; i < sends; i++) {
            a.ws.send(L2psHardenedTests.withRequestId(L2psPeer.sendFrame(offline, "Y3Q=", L2psPeer.newHash()),
                    "q" + i));
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < sends; i++) {
            JsonValue f = a.ws.awaitFrame(x -> List.of("message_queued", "error").contains(Wire.type(x)));
            assertThat(Wire.str(f, "requestId")).isEqualTo("q" + i);
            got.add("error".equals(Wire.type(f)) ? Wire.str(f, "payload.message") : Wire.type(f));
        }
        // Never beyond the bound, whatever commits while the sends are checked. A row committed during a check
        // may be counted twice (PendingQueues#with) and refuse a send one message early, so the exact count is
        // asserted at rest, below.
        long queued = got.stream().filter("message_queued"::equals).count();
        assertThat(got).allMatch(g -> g.equals("message_queued") || g.equals("Recipient's offline queue is full"));
        assertThat(got.get(0)).isEqualTo("message_queued");
        assertThat(queued).isLessThanOrEqualTo(BOUND);
        // At rest (every row above committed: each was answered) the bound is exact: room left is taken, then full.
        for (int i = 0; i <= BOUND - queued; i++) {
            a.ws.send(L2psHardenedTests.withRequestId(L2psPeer.sendFrame(offline, "Y3Q=", L2psPeer.newHash()),
                    "r" + i));
            JsonValue f = a.ws.awaitFrame(x -> List.of("message_queued", "error").contains(Wire.type(x)));
            assertThat(Wire.str(f, "requestId")).isEqualTo("r" + i);
            assertThat("error".equals(Wire.type(f)) ? Wire.str(f, "payload.message") : Wire.type(f))
                    .isEqualTo(i < BOUND - queued ? "message_queued" : "Recipient's offline queue is full");
        }
    }
}
