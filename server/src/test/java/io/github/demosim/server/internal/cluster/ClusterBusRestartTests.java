package io.github.demosim.server.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** PostgreSQL itself restarted under a listening bus, on a PostgreSQL of the test's own. */
@EnabledIfEnvironmentVariable(named = ThrowawayPostgres.BIN_VARIABLE, matches = ".+")
class ClusterBusRestartTests {
    @Test
    void afterPostgresqlRestartsTheBusListensAgainAndNoticesArrive() throws Exception {
        try (ThrowawayPostgres pg = new ThrowawayPostgres()) {
            BlockingQueue<Notice> heard = new LinkedBlockingQueue<>();
            AtomicInteger listening = new AtomicInteger();
            ClusterDatabase db = new ClusterDatabase(pg.url(), null, null);
            ClusterBus bus = new ClusterBus(db, new ClusterBus.Listener() {
                @Override
                public void notice(Notice notice) {
                    heard.add(notice);
                }

                @Override
                public void listening() {
                    listening.incrementAndGet();
                }
            });
            try {
                bus.start();
                ClusterTestSupport.await("LISTEN in place", Duration.ofSeconds(30), () -> listening.get() == 1);
                bus.publish(Notice.of(Notice.NODE_DOWN, "before"));
                assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo(Notice.of(Notice.NODE_DOWN, "before"));

                pg.stop();
                ClusterTestSupport.await("the bus sees the session gone", Duration.ofSeconds(30),
                        () -> !bus.isListening());
                pg.start();
                ClusterTestSupport.await("LISTEN re-established after the restart", Duration.ofSeconds(60),
                        () -> listening.get() == 2);
                // The publishing session broke with the restart too: the send replaces it and goes out.
                bus.publish(Notice.of(Notice.NODE_DOWN, "after"));
                assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo(Notice.of(Notice.NODE_DOWN, "after"));
            } finally {
                bus.close();
            }
        }
    }
}
