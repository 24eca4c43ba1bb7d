package io.github.demosim.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link H2Housekeeping}: an H2 file written by many small commits stops growing once its old chunks are
 * rewritten, where without the housekeeping each round of the same writes adds as much file as the first.
 * {@code RETENTION_TIME=0} lets H2 rewrite and reuse chunks at once instead of after 45 s; nothing else differs
 * from the server's H2 file. The test runs the housekeeping itself every {@value #HOUSEKEEPING_EVERY} messages, its
 * thread stopped, so the outcome does not depend on how fast the machine is.
 */
class H2HousekeepingTests {
    /** Messages per round, each inserted and acknowledged in commits of their own, as at a low message rate. */
    private static final int MESSAGES = 600;
    private static final int ROUNDS = 5;
    /** Messages between housekeeping runs, standing in for the 200 ms between the thread's runs. */
    private static final int HOUSEKEEPING_EVERY = 50;

    @TempDir
    Path dir;

    @Test
    void anH2FileStopsGrowingOnceItsChunksAreRewritten() throws Exception {
        Outcome without = rounds("without", false);
        Outcome with = rounds("with", true);
        String what = "with the housekeeping: " + with + "; without: " + without;
        // Without: every commit leaves a chunk with a page or two live for good, and the file keeps growing: to
        // 10-16 times its size after the first round in five runs, three beside stress-ng. Not in every round,
        // though: H2 reuses a chunk once every page of it is dead, and beside another build one round fitted into
        // such gaps (sizes [578 kB, 1.63 MB, 3.51 MB, 3.51 MB, 5.73 MB]), so the growth is asserted over the rounds.
        // With: the housekeeping rewrote chunks, and the file ends below the other (at 37-66 % of it in the runs
        // when this was written). How much below, and how live the chunks end (46-97 %, against 25-49 % without),
        // depend on where H2 found room and which chunks it counted as rewritable, so only "below" is asserted.
        assertThat(without.sizes()[ROUNDS - 1]).as(what).isGreaterThan(2 * without.sizes()[0]);
        assertThat(with.rewritingRuns()).as(what).isPositive();
        assertThat(with.sizes()[ROUNDS - 1]).as(what).isLessThan(without.sizes()[ROUNDS - 1]);
    }

    /**
     * What rounds of writes left: the file's size after each round, the share of its chunks' bytes still live at
     * the end (percent), and the housekeeping runs that rewrote chunks.
     */
    record Outcome(long[] sizes, int chunksFillRate, int rewritingRuns) {
        @Override
        public String toString() {
            return "sizes " + Arrays.toString(sizes) + ", chunks " + chunksFillRate + " % live, " + rewritingRuns
                    + " rewriting runs";
        }
    }

    /** Rounds of writes, then what they left in the file. */
    private Outcome rounds(String name, boolean housekeeping) throws Exception {
        Path file = dir.resolve(name);
        String url = "jdbc:h2:file:" + file.toAbsolutePath() + ";RETENTION_TIME=0";
        long[] sizes = new long[ROUNDS];
        int rewritingRuns = 0;
        try (JdbcMessageStore store = JdbcMessageStore.open(url, null, null, 3, 1)) {
            store.stopHousekeeping();
            for (int round = 0; round < sizes.length; round++) {
                for (int i = 0; i < MESSAGES; i++) {
                    String hash = name + "-" + round + "-" + i;
                    store.insertGrouped(MessageStoreContract.row("alice", "bob", hash, i, DeliveryState.PENDING_ACK))
                            .get(10, TimeUnit.SECONDS);
                    assertThat(store.acknowledgeGrouped("bob", hash).get(10, TimeUnit.SECONDS)).isTrue();
                    if (housekeeping && i % HOUSEKEEPING_EVERY == HOUSEKEEPING_EVERY - 1) {
                        rewritingRuns += housekeep(store);
                    }
                }
                sizes[round] = Files.size(Path.of(file + ".mv.db"));
            }
            if (housekeeping) {
                rewritingRuns += housekeep(store);
            }
            // A second connection in this JVM shares the open database, and so its store.
            try (Connection c = DriverManager.getConnection(url + ";WRITE_DELAY=0")) {
                MVStore mv = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                        .getMvStore();
                return new Outcome(sizes, mv.getFileStore().getChunksFillRate(), rewritingRuns);
            }
        }
    }

    /** Housekeeping runs until one finds nothing more to rewrite; how many did. */
    private static int housekeep(JdbcMessageStore store) {
        int runs = 0;
        while (store.housekeepNow()) {
            assertThat(++runs).as("housekeeping runs in a row").isLessThan(1_000);
        }
        return runs;
    }
}
