package io.github.demosim.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The notices over LISTEN/NOTIFY, on the test PostgreSQL (.ci/with-postgres). */
@EnabledIfEnvironmentVariable(named = ClusterTestSupport.URL_VARIABLE, matches = "jdbc:postgresql:.+")
class ClusterBusTests {
    private final BlockingQueue<Notice> heard = new LinkedBlockingQueue<>();
    private final AtomicInteger listening = new AtomicInteger();
    private ClusterBus bus;

    @BeforeEach
    void listen() throws Exception {
        bus = new ClusterBus(new ClusterDatabase(ClusterTestSupport.url(), null, null), new ClusterBus.Listener() {
            @Override
            public void notice(Notice notice) {
                heard.add(notice);
            }

            @Override
            public void listening() {
                listening.incrementAndGet();
            }
        });
        bus.start();
        ClusterTestSupport.await("LISTEN in place", Duration.ofSeconds(30), () -> listening.get() == 1);
    }

    @AfterEach
    void close() {
        bus.close();
    }

    private Notice next() throws InterruptedException {
        Notice n = heard.poll(30, TimeUnit.SECONDS);
        assertThat(n).as("a notice within 30 s").isNotNull();
        return n;
    }

    @Test
    void aNoticeArrivesWithItsIds() throws Exception {
        bus.publish(Notice.of(Notice.NODE_DOWN, "3f1e-node"));
        assertThat(next()).isEqualTo(Notice.of(Notice.NODE_DOWN, "3f1e-node"));
    }

    @Test
    void aNoticeInsideATransactionIsSentOnlyIfItCommits() throws Exception {
        try (Connection c = DriverManager.getConnection(ClusterTestSupport.url())) {
            c.setAutoCommit(false);
            ClusterBus.publish(c, Notice.of(Notice.TAKEOVER, "rolled-back", "l2ps", "a".repeat(64)));
            c.rollback();
            ClusterBus.publish(c, Notice.of(Notice.TAKEOVER, "committed", "l2ps", "b".repeat(64)));
            Thread.sleep(300);
            assertThat(heard).as("nothing before the commit").isEmpty();
            c.commit();
        }
        assertThat(next().ids()).containsExactly("committed", "l2ps", "b".repeat(64));
        bus.publish(Notice.of(Notice.NODE_DOWN, "marker")); // the rolled-back one would have come before this
        assertThat(next().ids()).containsExactly("marker");
    }

    @Test
    void thePayloadBoundIsPostgresqlsAndANoticeCarriesIdsOnly() throws Exception {
        // The largest payload allowed: PostgreSQL takes it (its bound is "shorter than 8000 bytes").
        List<String> ids = new ArrayList<>();
        int bytes = "node_down".length();
        while (bytes + 201 <= Notice.MAX_PAYLOAD_BYTES) {
            ids.add("i".repeat(200));
            bytes += 201;
        }
        ids.add("j".repeat(Notice.MAX_PAYLOAD_BYTES - bytes - 1));
        Notice largest = new Notice(Notice.NODE_DOWN, ids);
        assertThat(largest.payload()).hasSize(Notice.MAX_PAYLOAD_BYTES);
        bus.publish(largest);
        assertThat(next()).isEqualTo(largest);

        List<String> tooMany = new ArrayList<>(ids);
        tooMany.add("k");
        assertThatThrownBy(() -> new Notice(Notice.NODE_DOWN, tooMany)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over PostgreSQL's 7999").hasMessageContaining("never carry data");
        assertThatThrownBy(() -> Notice.of(Notice.NODE_DOWN, "{\"ciphertext\": \"...\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notice ids name rows");
    }

    @Test
    void aPayloadThatIsNoNoticeIsIgnored() throws Exception {
        ClusterTestSupport.sql(ClusterTestSupport.url(), "NOTIFY " + ClusterBus.CHANNEL + ", 'Not A Notice!'");
        bus.publish(Notice.of(Notice.NODE_DOWN, "after"));
        assertThat(next().ids()).containsExactly("after");
    }

    @Test
    void aLostListenSessionIsReopenedAndSaysSoForTheGap() throws Exception {
        // The database ends the LISTEN session (as a restart or a network cut would); what is sent meanwhile is
        // lost for good, so the bus tells its listener to re-read the tables once LISTEN is back.
        ClusterTestSupport.sql(ClusterTestSupport.url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = 'demos-im cluster listen' AND pid <> pg_backend_pid()");
        ClusterTestSupport.await("LISTEN re-established", Duration.ofSeconds(60), () -> listening.get() == 2);
        bus.publish(Notice.of(Notice.NODE_DOWN, "after-reconnect"));
        assertThat(next().ids()).containsExactly("after-reconnect");
    }
}
