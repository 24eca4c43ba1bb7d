package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.server.support.DatabaseLocks;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-pair order when a recipient registers while a message to it is on its way through the queue (l2ps.md §6.1:
 * a conversation's messages arrive in order). A message decided for the queue just before the registration can
 * commit after that registration's drain read the queue; it is then claimed and written behind the drain. The
 * messages sent after the registration, to a recipient now online, must not overtake it. Found across nodes by
 * reliability's ClusterKillTests (a sender and its recipient failing over to one node together, one message of
 * 1,000 arriving last); the same race exists on one node, and is made certain here with two row locks the test
 * holds: an uncommitted row with the hash of the message sent just before the registration, which the server's
 * insert of it waits for, and a lock on a message queued earlier, which the drain waits for when it marks that
 * message delivered.
 */
class L2psRegistrationOrderTests extends ServerTestBase {
    private static final int LATER = 5;

    @Override
    protected ServerMode mode() {
        return ServerMode.HARDENED;
    }

    @Override
    protected void configure(DemosImServer.Builder builder) {
        builder.rateLimit(100_000, 100_000);
        if (databaseUrl.startsWith("jdbc:h2:")) {
            // the server's statements wait for the test's locks longer than H2's 2 s, on a busy machine too
            builder.databaseUrl(databaseUrl + ";LOCK_TIMEOUT=60000");
        }
    }

    @Test
    void aMessageQueuedJustBeforeTheRecipientRegisteredIsNotOvertakenByLiveOnes() throws Exception {
        String uid = freshUid();
        L2psPeer alice = registered(uid);
        L2psPeer bob = peer(); // connected, registered later
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i <= LATER + 1; i++) {
            hashes.add(L2psPeer.newHash());
        }
        assertThat(Wire.type(alice.send(bob.pk(), "cTA=", hashes.get(0)))).isEqualTo("message_queued");
        try (Connection drainWaits = DriverManager.getConnection(databaseUrl);
                Connection insertWaits = DriverManager.getConnection(databaseUrl)) {
            drainWaits.setAutoCommit(false);
            insertWaits.setAutoCommit(false);
            DatabaseLocks.holdUpdatesOf(drainWaits, hashes.get(0));
            DatabaseLocks.holdInsertOf(insertWaits, hashes.get(1));
            alice.ws.send(L2psPeer.sendFrame(bob.pk(), "bTA=", hashes.get(1)));
            // bob is offline: the message is decided for the queue, and its insert waits for the test
            DatabaseLocks.awaitWaiting(databaseUrl, "INSERT INTO l2ps_messages");
            bob.register(uid);
            // the drain writes the queued message, then waits to mark it: it read the queue without the second
            DatabaseLocks.awaitWaiting(databaseUrl, "UPDATE l2ps_messages");
            for (int i = 2; i <= LATER + 1; i++) {
                alice.ws.send(L2psPeer.sendFrame(bob.pk(), "bTE=", hashes.get(i))); // bob online: live
            }
            insertWaits.rollback(); // the second message commits; the live ones after it
            List<String> answers = new ArrayList<>();
            for (int i = 1; i <= LATER + 1; i++) {
                answers.add(Wire.type(alice.ws.awaitFrame(f -> List.of("message_sent", "message_queued", "error")
                        .contains(Wire.type(f)))));
            }
            assertThat(answers.get(0)).isEqualTo("message_queued");
            assertThat(answers.subList(1, answers.size())).containsOnly("message_sent");
            drainWaits.rollback(); // the drain ends; the second message was stored after it read the queue
        }
        List<String> arrived = new ArrayList<>();
        for (int i = 0; i <= LATER + 1; i++) {
            arrived.add(Wire.str(bob.ws.await("message"), "payload.messageHash"));
        }
        assertThat(arrived).as("bob's messages, in the order they arrived").containsExactlyElementsOf(hashes);
    }
}
