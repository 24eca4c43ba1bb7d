package io.github.demosim.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every database behind {@link JdbcMessageStore} must do (H2 always; PostgreSQL when available). */
abstract class MessageStoreContract {
    static final String UID = "net_a";
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final String C = "c".repeat(64);

    JdbcMessageStore store;

    /** A JDBC URL of an empty database (tables of a previous run are dropped by {@link #dropTables}). */
    abstract String url();

    /** Store writer threads, as the server runs this database (ServerRuntime.storeWriters). */
    int writers() {
        return 1;
    }

    @BeforeEach
    void open() {
        dropTables(url());
        store = openStore();
    }

    JdbcMessageStore openStore() {
        return JdbcMessageStore.open(url(), null, null, writers() + 1, writers());
    }

    @AfterEach
    void close() {
        store.close();
    }

    static void dropTables(String url) {
        io.github.demosim.server.support.ServerTestBase.dropTables(url);
    }

    static L2psMessageRow row(String from, String to, String hash, long ts, DeliveryState d) {
        return new L2psMessageRow(UUID.randomUUID().toString(), from, to, UID, hash, "{\"ciphertext\":\"x\",\"nonce\":\"y\"}",
                null, ts, d, d == DeliveryState.QUEUED, PipelineState.PENDING, null, null);
    }

    // docs/cluster.md: a node claiming rows named to it claims the older queued ones with them (ids only)
    @Test
    void queuedIdsAreTheOldestQueuedRowsOfOneRecipientInOneNetwork() {
        L2psMessageRow second = row(A, B, "g2", 20, DeliveryState.QUEUED);
        L2psMessageRow first = row(C, B, "g1", 10, DeliveryState.QUEUED);
        L2psMessageRow third = row(A, B, "g3", 30, DeliveryState.QUEUED);
        store.insert(second);
        store.insert(first);
        store.insert(third);
        store.insert(row(A, B, "g4", 5, DeliveryState.PENDING_ACK)); // handed out already
        store.insert(row(A, C, "g5", 1, DeliveryState.QUEUED)); // another recipient
        assertThat(store.queuedIds(B, UID, 10)).containsExactly(first.id(), second.id(), third.id());
        assertThat(store.queuedIds(B, UID, 2)).containsExactly(first.id(), second.id());
        assertThat(store.queuedIds(B, "net_b", 10)).isEmpty();
    }

    // docs/cluster.md: the part of a sender's offline quota that moves with it between nodes
    @Test
    void aSendersQueuedMessagesAreCountedInItsNetwork() {
        store.insert(row(A, B, "f1", 1, DeliveryState.QUEUED));
        store.insert(row(A, C, "f2", 2, DeliveryState.QUEUED));
        store.insert(row(A, B, "f3", 3, DeliveryState.DELIVERED)); // went live: not from the queue
        store.insert(row(B, A, "f4", 4, DeliveryState.QUEUED)); // another sender
        store.insert(new L2psMessageRow(UUID.randomUUID().toString(), A, B, "net_b", "f5",
                "{\"ciphertext\":\"x\",\"nonce\":\"y\"}", null, 5, DeliveryState.QUEUED, true,
                PipelineState.PENDING, null, null)); // another network
        assertThat(store.queuedFrom(A, UID)).isEqualTo(2);
        assertThat(store.queuedFrom(A, "net_b")).isEqualTo(1);
        assertThat(store.queuedFrom(C, UID)).isZero();
    }

    @Test
    void queuedRowsAreClaimedOnceInConversationOrderAndReadByIdWithTheirBodies() {
        L2psMessageRow late = row(A, B, "c2", 20, DeliveryState.QUEUED);
        L2psMessageRow early = row(A, B, "c1", 10, DeliveryState.QUEUED);
        L2psMessageRow sent = row(A, B, "c3", 30, DeliveryState.SENT);
        L2psMessageRow other = row(A, C, "c4", 40, DeliveryState.QUEUED);
        List.of(late, early, sent, other).forEach(store::insert);
        List<String> ids = List.of(late.id(), early.id(), sent.id(), other.id(), "no-such-row");
        assertThat(store.rowsById(ids)).extracting(L2psMessageRow::messageHash).containsExactly("c1", "c2", "c3", "c4");
        assertThat(store.rowsById(ids).get(0).encryptedJson()).isEqualTo(early.encryptedJson());
        // cluster: only rows still queued and addressed to the claimer's peer; a second claim gets none of them
        List<L2psMessageRow> claimed = store.claimQueued(B, ids, DeliveryState.PENDING_ACK);
        assertThat(claimed).extracting(L2psMessageRow::messageHash).containsExactly("c1", "c2");
        assertThat(claimed).extracting(L2psMessageRow::delivery).containsOnly(DeliveryState.PENDING_ACK);
        assertThat(store.claimQueued(B, ids, DeliveryState.DELIVERED)).isEmpty();
        assertThat(store.claimQueued(C, ids, DeliveryState.DELIVERED)).extracting(L2psMessageRow::messageHash)
                .containsExactly("c4");
    }

    @Test
    void migrationsRunOnceAndAreRecorded() throws Exception {
        store.close();
        store = JdbcMessageStore.open(url(), null, null, 1); // second start: nothing to do
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT version, description FROM demos_im_schema_version")) {
            List<Integer> versions = new java.util.ArrayList<>();
            while (r.next()) {
                versions.add(r.getInt(1));
            }
            assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        }
    }

    @Test
    void aVersion1DatabaseIsMigratedWithItsDataKept() throws Exception {
        store.close();
        dropTables(url());
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            // the schema as released with version 1, holding one stored message
            s.execute("CREATE TABLE demos_im_schema_version (version INTEGER PRIMARY KEY, description VARCHAR(200) "
                    + "NOT NULL, applied_at BIGINT NOT NULL)");
            for (String sql : SchemaMigrations.MIGRATIONS.get(0).statements()) {
                s.execute(sql);
            }
            s.execute("INSERT INTO demos_im_schema_version VALUES (1, 'v1', 0)");
        }
        store = JdbcMessageStore.open(url(), null, null, 2);
        store.insertLegacyOffline(new LegacyOfflineRow(0, "bob", "alice", "f".repeat(64), "{}", "sig", 5));
        store.close();
        store = JdbcMessageStore.open(url(), null, null, 2); // the latest version in place: nothing to do
        assertThat(store.pendingLegacy("bob")).hasSize(1);
        assertThat(store.bindLegacyId("bob", A, 1)).isEqualTo(A);
    }

    @Test
    void aVersion5DatabaseIsMigratedWithItsMessagesKept() throws Exception {
        store.close();
        dropTables(url());
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            // the schema as released with version 5, holding two stored messages
            s.execute("CREATE TABLE demos_im_schema_version (version INTEGER PRIMARY KEY, description VARCHAR(200) "
                    + "NOT NULL, applied_at BIGINT NOT NULL)");
            for (SchemaMigrations.Migration m : SchemaMigrations.MIGRATIONS.subList(0, 5)) {
                assertThat(m.h2Statements()).isEmpty();
                for (String sql : m.statements()) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO demos_im_schema_version VALUES (" + m.version() + ", 'v', 0)");
            }
            for (String hash : List.of("old1", "old2")) {
                String id = UUID.randomUUID().toString();
                s.execute("INSERT INTO l2ps_messages (id, from_key, from_digest, to_key, to_digest, l2ps_uid, "
                        + "message_hash, hash_digest, size_bytes, sent_at, delivery, via_queue, pipeline) VALUES ('"
                        + id + "', '" + A + "', '" + JdbcMessageStore.digest(A) + "', '" + B + "', '"
                        + JdbcMessageStore.digest(B) + "', '" + UID + "', '" + hash + "', '"
                        + JdbcMessageStore.digest(hash) + "', 10, 1, 'queued', TRUE, 'l2ps_pending')");
                s.execute("INSERT INTO l2ps_message_bodies (id, encrypted) VALUES ('" + id + "', 'body of " + hash
                        + "')");
            }
        }
        store = JdbcMessageStore.open(url(), null, null, 2);
        store.insertGrouped(row(A, B, "new", 2, DeliveryState.QUEUED)).get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(store.undelivered(B, UID)).extracting(L2psMessageRow::messageHash, L2psMessageRow::encryptedJson)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("old1", "body of old1"),
                        org.assertj.core.groups.Tuple.tuple("old2", "body of old2"),
                        org.assertj.core.groups.Tuple.tuple("new", "{\"ciphertext\":\"x\",\"nonce\":\"y\"}"));
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM l2ps_message_bodies b "
                    + "JOIN l2ps_messages m ON m.id = b.id")) {
                r.next();
                assertThat(r.getInt(1)).as("every message with its body").isEqualTo(3);
            }
            if (url().startsWith("jdbc:h2:")) {
                try (ResultSet r = s.executeQuery("SELECT TABLE_NAME, IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS "
                        + "WHERE IS_IDENTITY = 'YES' AND TABLE_NAME IN ('L2PS_MESSAGES', 'LEGACY_OFFLINE_MESSAGES')")) {
                    int tables = 0;
                    while (r.next()) {
                        tables++;
                        assertThat(r.getLong(2)).as(r.getString(1)).isEqualTo(SchemaMigrations.H2_IDENTITY_CACHE);
                    }
                    assertThat(tables).isEqualTo(2);
                }
                // migration 9: the digests are VARCHAR(64) on H2, still NOT NULL, the hash still unique
                try (ResultSet r = s.executeQuery("SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM "
                        + "INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'L2PS_MESSAGES' AND COLUMN_NAME IN "
                        + "('FROM_DIGEST', 'TO_DIGEST', 'HASH_DIGEST', 'L2PS_TX_HASH', 'BATCH_HASH')")) {
                    int columns = 0;
                    while (r.next()) {
                        columns++;
                        assertThat(r.getString(2)).as(r.getString(1)).isEqualTo("CHARACTER VARYING");
                        assertThat(r.getString(3)).as(r.getString(1))
                                .isEqualTo(r.getString(1).endsWith("_DIGEST") ? "NO" : "YES");
                    }
                    assertThat(columns).isEqualTo(5);
                }
            }
            // migration 10: the digests are 128 bits, VARCHAR on both databases; the rows above are still found
            try (ResultSet r = s.executeQuery("SELECT UPPER(COLUMN_NAME), UPPER(DATA_TYPE), CHARACTER_MAXIMUM_LENGTH "
                    + "FROM INFORMATION_SCHEMA.COLUMNS WHERE UPPER(TABLE_NAME) = 'L2PS_MESSAGES' AND UPPER(COLUMN_NAME) "
                    + "IN ('FROM_DIGEST', 'TO_DIGEST', 'HASH_DIGEST')")) {
                int columns = 0;
                while (r.next()) {
                    columns++;
                    assertThat(r.getString(2)).as(r.getString(1)).isEqualTo("CHARACTER VARYING");
                    assertThat(r.getInt(3)).as(r.getString(1)).isEqualTo(32);
                }
                assertThat(columns).isEqualTo(3);
            }
            try (ResultSet r = s.executeQuery("SELECT hash_digest FROM l2ps_messages WHERE message_hash = 'old1'")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo(JdbcMessageStore.digest("old1").substring(0, 32));
            }
        }
        assertThat(store.findByMessageHash("old2")).get().extracting(L2psMessageRow::delivery)
                .isEqualTo(DeliveryState.QUEUED);
        assertThat(store.latestTimestamp(UID, B, A)).as("the pair index, both directions").isEqualTo(2);
        assertThatThrownBy(() -> store.insertGrouped(row(A, B, "old1", 3, DeliveryState.QUEUED))
                .get(60, java.util.concurrent.TimeUnit.SECONDS)).hasCauseInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void groupedAcknowledgementsEachReportTheirOwnRow() throws Exception {
        // No duplicate among them: one JDBC batch per kind of write, whose per-row counts answer each caller.
        store.insert(row(A, B, "p1", 1, DeliveryState.PENDING_ACK));
        store.insert(row(A, B, "q1", 2, DeliveryState.QUEUED));
        store.insert(row(A, B, "p2", 3, DeliveryState.PENDING_ACK));
        List<java.util.concurrent.CompletableFuture<Boolean>> acks = List.of(store.acknowledgeGrouped(B, "p1"),
                store.acknowledgeGrouped(B, "q1"), store.acknowledgeGrouped(B, "nothing"),
                store.acknowledgeGrouped(A, "p2"), store.acknowledgeGrouped(B, "p2"),
                store.acknowledgeGrouped(B, "p1"));
        java.util.concurrent.CompletableFuture<Void> insert = store.insertGrouped(row(A, B, "n1", 4,
                DeliveryState.PENDING_ACK));
        insert.get(60, java.util.concurrent.TimeUnit.SECONDS); // hang guard
        assertThat(acks).extracting(java.util.concurrent.CompletableFuture::join)
                .as("p1, a queued row, an unknown hash, p2 by the wrong recipient, p2, p1 again")
                .containsExactly(true, false, false, false, true, false);
        assertThat(store.findByMessageHash("p2")).get().extracting(L2psMessageRow::delivery)
                .isEqualTo(DeliveryState.DELIVERED);
        assertThat(store.findByMessageHash("q1")).get().extracting(L2psMessageRow::delivery)
                .isEqualTo(DeliveryState.QUEUED);
    }

    // legacy-and-crypto.md §C.1 #9 (hardened): an id belongs to the key that first registered it
    @Test
    void aLegacyIdStaysBoundToTheKeyThatFirstClaimedIt() {
        assertThat(store.bindLegacyId("alice", A, 1)).isEqualTo(A);
        assertThat(store.bindLegacyId("alice", A, 2)).isEqualTo(A);
        assertThat(store.bindLegacyId("alice", B, 3)).as("another key").isEqualTo(A);
        assertThat(store.bindLegacyId("Alice", B, 4)).as("ids compare exactly").isEqualTo(B);
        String longId = "x".repeat(10_000); // ids are bounded only by the frame size
        assertThat(store.bindLegacyId(longId, B, 5)).isEqualTo(B);
        assertThat(store.bindLegacyId(longId, A, 6)).isEqualTo(B);
    }

    @Test
    void ofConcurrentFirstClaimsOfAnIdExactlyOneKeyWins() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                String id = "contested-" + round;
                List<java.util.concurrent.Future<String>> claims = new java.util.ArrayList<>();
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                for (int t = 0; t < 8; t++) {
                    String key = Integer.toHexString(t).repeat(64);
                    claims.add(pool.submit(() -> {
                        go.await();
                        return store.bindLegacyId(id, key, 1);
                    }));
                }
                go.countDown();
                java.util.Set<String> winners = new java.util.HashSet<>();
                for (java.util.concurrent.Future<String> f : claims) {
                    winners.add(f.get(20, java.util.concurrent.TimeUnit.SECONDS));
                }
                assertThat(winners).as("every claimant learns the same owner").hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyDirectoryWithoutTheFeaturesColumnIsKeptAndReadsWithoutFeatures() throws Exception {
        store.publishKemKey(A, UID, "k1", List.of("envelope"), 1);
        store.close();
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            // back to the schema of version 3: no features column, no cluster tables, versions 4 on not recorded
            s.execute("ALTER TABLE kem_keys DROP COLUMN features");
            s.execute("DROP TABLE cluster_presence");
            s.execute("DROP TABLE cluster_nodes");
            s.execute("DROP TABLE legacy_peer_keys");
            s.execute("DELETE FROM demos_im_schema_version WHERE version >= 4");
        }
        store = JdbcMessageStore.open(url(), null, null, 1);
        assertThat(store.kemKey(A, UID)).contains(new MessageStore.KemKeyEntry("k1", List.of()));
    }

    @Test
    void aLegacyIdsPublicKeyIsTheOneItRegisteredLast() {
        assertThat(store.legacyPeerKey("bob")).isEmpty();
        store.putLegacyPeerKey("bob", "[1,2,3]", 1);
        store.putLegacyPeerKey("bob", "[4,5]", 2);
        store.putLegacyPeerKey("carol", "[6]", 3);
        assertThat(store.legacyPeerKey("bob")).contains("[4,5]");
        assertThat(store.legacyPeerKey("carol")).contains("[6]");
        assertThat(store.legacyPeerKey("Bob")).isEmpty();
    }

    @Test
    void messageHashesAreUniqueAcrossSendersAndNetworks() {
        store.insert(row(A, B, "h1", 1, DeliveryState.DELIVERED));
        assertThatThrownBy(() -> store.insert(row(B, A, "h1", 2, DeliveryState.QUEUED)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(store.findByMessageHash("h1")).get().extracting(L2psMessageRow::from).isEqualTo(A);
        assertThat(store.findByMessageHash("h2")).isEmpty();
    }

    @Test
    void concurrentWritesAreEachDurableAndADuplicateFailsAlone() throws Exception {
        // The send and acknowledgement paths write from many connections at once: each write succeeds or fails on
        // its own and is readable by anyone once its call returned (whatever the database does to batch commits).
        int threads = 8;
        int perThread = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Integer>> duplicates = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                duplicates.add(pool.submit(() -> {
                    int refused = 0;
                    for (int i = 0; i < perThread; i++) {
                        String hash = "t" + thread + "-" + i;
                        store.insert(row(A, B, hash, i, DeliveryState.PENDING_ACK));
                        assertThat(store.findByMessageHash(hash)).isPresent();
                        assertThat(store.acknowledge(B, hash)).isTrue();
                        try {
                            store.insert(row(A, B, "shared", i, DeliveryState.DELIVERED)); // one thread wins
                        } catch (DuplicateKeyException e) {
                            refused++;
                        }
                    }
                    return refused;
                }));
            }
            int refused = 0;
            for (java.util.concurrent.Future<Integer> f : duplicates) {
                refused += f.get(60, java.util.concurrent.TimeUnit.SECONDS); // hang guard
            }
            assertThat(refused).isEqualTo(threads * perThread - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.history(UID, A, B, null, 1_000)).hasSize(threads * perThread + 1)
                .filteredOn(m -> !m.messageHash().equals("shared"))
                .allSatisfy(m -> assertThat(m.delivery()).isEqualTo(DeliveryState.DELIVERED));
    }

    @Test
    void aDuplicateInsideOneGroupCommitFailsOnlyItsRow() throws Exception {
        // Submitted together, these share one commit (the writer is busy with none of them before): the second
        // "dup" must fail alone, and the writes around it be durable once their futures complete. With several
        // writers, P is a key whose writes go to A's writer, so that all of them still share one.
        String P = GroupCommitWritersTests.keyInLane(GroupCommit.laneOf(A, writers()), writers(), "p");
        store.insert(row(A, B, "old", 1, DeliveryState.DELIVERED));
        List<java.util.concurrent.CompletableFuture<?>> writes = new java.util.ArrayList<>();
        writes.add(store.insertGrouped(row(A, P, "g1", 2, DeliveryState.PENDING_ACK)));
        writes.add(store.insertGrouped(row(A, B, "dup", 3, DeliveryState.DELIVERED)));
        writes.add(store.insertGrouped(row(P, A, "dup", 4, DeliveryState.DELIVERED)));
        writes.add(store.insertGrouped(row(A, P, "old", 5, DeliveryState.DELIVERED)));
        writes.add(store.acknowledgeGrouped(P, "g1"));
        writes.add(store.insertGrouped(row(A, P, "g2", 6, DeliveryState.QUEUED)));
        java.util.concurrent.CompletableFuture.allOf(writes.stream()
                .map(w -> w.handle((ok, failure) -> null)).toArray(java.util.concurrent.CompletableFuture[]::new))
                .get(60, java.util.concurrent.TimeUnit.SECONDS); // hang guard
        assertThat(writes.get(0)).isCompletedWithValue(null);
        assertThat(writes.get(1)).isCompletedWithValue(null);
        assertThat(writes.get(2)).isCompletedExceptionally();
        assertThatThrownBy(() -> writes.get(2).join()).hasCauseInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> writes.get(3).join()).hasCauseInstanceOf(DuplicateKeyException.class);
        assertThat(writes.get(4).join()).isEqualTo(Boolean.TRUE);
        assertThat(writes.get(5)).isCompletedWithValue(null);
        assertThat(store.findByMessageHash("g1")).get().extracting(L2psMessageRow::delivery)
                .isEqualTo(DeliveryState.DELIVERED);
        assertThat(store.findByMessageHash("dup")).get().extracting(L2psMessageRow::from).isEqualTo(A);
        assertThat(store.findByMessageHash("old")).get().extracting(L2psMessageRow::timestamp).isEqualTo(1L);
        assertThat(store.undelivered(P, UID)).extracting(L2psMessageRow::messageHash).containsExactly("g2");
    }

    @Test
    void groupedWritesFromManyThreadsAreEachDurableWhenTheirFutureCompletes() throws Exception {
        int threads = 8;
        int perThread = 50;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String hash = "g" + thread + "-" + i;
                        store.insertGrouped(row(A, B, hash, i, DeliveryState.PENDING_ACK)).join();
                        assertThat(store.findByMessageHash(hash)).isPresent(); // visible once completed
                        assertThat(store.acknowledgeGrouped(B, hash).join()).isTrue();
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS); // hang guard
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.history(UID, A, B, null, 1_000)).hasSize(threads * perThread)
                .allSatisfy(m -> assertThat(m.delivery()).isEqualTo(DeliveryState.DELIVERED));
    }

    @Test
    void groupedWritesAfterCloseFailInsteadOfHanging() {
        store.close();
        assertThatThrownBy(() -> store.insertGrouped(row(A, B, "late", 1, DeliveryState.QUEUED)).join())
                .hasCauseInstanceOf(StoreException.class);
        store = openStore();
    }

    @Test
    void longClientStringsAreStoredAndFound() {
        // Keys and hashes are bounded only by the 256 KiB frame; PostgreSQL cannot B-tree-index such values.
        String longTo = "z".repeat(200_000);
        String longHash = "h".repeat(100_000);
        store.insert(row(A, longTo, longHash, 5, DeliveryState.QUEUED));
        assertThat(store.findByMessageHash(longHash)).isPresent();
        assertThat(store.undelivered(longTo, UID)).hasSize(1);
        assertThat(store.history(UID, longTo, A, null, 10)).hasSize(1);
    }

    @Test
    void queueIsPerRecipientAndNetworkOldestFirst() {
        L2psMessageRow second = row(A, B, "q2", 20, DeliveryState.QUEUED);
        L2psMessageRow first = row(A, B, "q1", 10, DeliveryState.QUEUED);
        store.insert(second);
        store.insert(first);
        store.insert(row(A, B, "live", 15, DeliveryState.DELIVERED));
        store.insert(new L2psMessageRow(UUID.randomUUID().toString(), A, B, "other_net", "q3", "{}", null, 5,
                DeliveryState.QUEUED, true, PipelineState.PENDING, null, null));
        assertThat(store.undelivered(B, UID)).extracting(L2psMessageRow::messageHash).containsExactly("q1", "q2");
        store.setDelivery(List.of(first.id()), DeliveryState.PENDING_ACK);
        assertThat(store.undelivered(B, UID)).extracting(L2psMessageRow::messageHash).containsExactly("q1", "q2");
        assertThat(store.acknowledge(B, "q1")).isTrue();
        assertThat(store.acknowledge(B, "q1")).isFalse();
        assertThat(store.findByMessageHash("q1").orElseThrow().delivery()).isEqualTo(DeliveryState.SENT);
        store.setDelivery(List.of(second.id()), DeliveryState.SENT);
        assertThat(store.undelivered(B, UID)).isEmpty();
    }

    @Test
    void requeuedLiveMessagesCountAsQueued() {
        L2psMessageRow live = row(A, B, "l1", 1, DeliveryState.DELIVERED);
        store.insert(live);
        store.requeue(live.id());
        L2psMessageRow back = store.findByMessageHash("l1").orElseThrow();
        assertThat(back.delivery()).isEqualTo(DeliveryState.QUEUED);
        assertThat(back.viaQueue()).isTrue();
    }

    @Test
    void historyIsBothDirectionsNewestFirstWithStrictBefore() {
        store.insert(row(A, B, "m1", 100, DeliveryState.DELIVERED));
        store.insert(row(B, A, "m2", 200, DeliveryState.DELIVERED));
        store.insert(row(A, B, "m3", 300, DeliveryState.QUEUED));
        store.insert(row(A, "c".repeat(64), "other", 250, DeliveryState.DELIVERED));
        assertThat(store.history(UID, A, B, null, 10)).extracting(L2psMessageRow::messageHash)
                .containsExactly("m3", "m2", "m1");
        assertThat(store.history(UID, B, A, 300L, 10)).extracting(L2psMessageRow::messageHash)
                .containsExactly("m2", "m1");
        assertThat(store.history(UID, A, B, null, 2)).hasSize(2);
        assertThat(store.history("net_b", A, B, null, 10)).isEmpty();
        assertThat(store.latestTimestamp(UID, B, A)).isEqualTo(300);
        assertThat(store.latestTimestamp(UID, A, "d".repeat(64))).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void pipelineMovesAdmittedMessagesThroughBatchesToConfirmation() {
        L2psMessageRow m1 = row(A, B, "p1", 1, DeliveryState.DELIVERED);
        L2psMessageRow m2 = row(A, B, "p2", 2, DeliveryState.QUEUED);
        L2psMessageRow refused = row(A, B, "p3", 3, DeliveryState.DELIVERED);
        store.insert(m1);
        store.insert(m2);
        store.insert(refused);
        assertThat(store.networksWithPendingTransactions()).isEmpty(); // not admitted yet
        store.markAdmitted(m1.id(), "1".repeat(64));
        store.markAdmitted(m2.id(), "2".repeat(64));
        store.markRejected(refused.id(), "nope");
        assertThat(store.networksWithPendingTransactions()).containsExactly(UID);
        assertThat(store.pendingTransactions(UID, 1)).extracting(L2psMessageRow::messageHash).containsExactly("p1");
        BatchRow batch = new BatchRow("f".repeat(64), UID, List.of("1".repeat(64), "2".repeat(64)), 1000);
        store.recordRound(List.of(new PipelineRound(batch, List.of(m1.id(), m2.id()), null)));
        assertThat(store.pendingTransactions(UID, 10)).isEmpty();
        L2psMessageRow queued = store.findByMessageHash("p2").orElseThrow();
        assertThat(queued.pipeline()).isEqualTo(PipelineState.BATCHED);
        assertThat(queued.delivery()).isEqualTo(DeliveryState.QUEUED); // the pipeline never dequeues
        assertThat(queued.wireStatus()).isEqualTo("queued");
        assertThat(store.findByMessageHash("p1").orElseThrow().wireStatus()).isEqualTo("l2ps_batched");
        assertThat(store.batchesSubmittedBefore(999, 10)).isEmpty();
        assertThat(store.batchesSubmittedBefore(1000, 10)).extracting(BatchRow::txHashes)
                .containsExactly(batch.txHashes());
        assertThat(store.confirmBatches(List.of(batch.batchHash()), 2000)).extracting(L2psMessageRow::pipeline)
                .containsOnly(PipelineState.CONFIRMED);
        assertThat(store.confirmBatches(List.of(batch.batchHash()), 2001)).isEmpty(); // once
        assertThat(store.batchesSubmittedBefore(5000, 10)).isEmpty();
        L2psMessageRow failed = store.findByMessageHash("p3").orElseThrow();
        assertThat(failed.wireStatus()).isEqualTo("failed");
        assertThat(failed.failureReason()).isEqualTo("nope");
        store.recordRound(List.of(new PipelineRound(batch, List.of(m2.id()), "batch refused")));
        assertThat(store.findByMessageHash("p2").orElseThrow().wireStatus()).isEqualTo("failed");
    }

    // issue 16: a round's batches are recorded and confirmed in one transaction each; due batches are read a page
    // at a time, oldest first
    @Test
    void aRoundRecordsItsBatchesAndDueBatchesAreReadAPageAtATime() {
        List<PipelineRound> round = new java.util.ArrayList<>();
        for (int b = 0; b < 3; b++) {
            L2psMessageRow m = row(A, B, "r" + b, b, DeliveryState.DELIVERED);
            store.insert(m);
            store.markAdmitted(m.id(), String.valueOf(b).repeat(64));
            round.add(new PipelineRound(new BatchRow(String.valueOf((char) ('a' + b)).repeat(64), UID,
                    List.of(String.valueOf(b).repeat(64)), 100 + b), List.of(m.id()), b == 1 ? "refused" : null));
        }
        store.recordRound(round);
        assertThat(store.pendingTransactions(UID, 10)).isEmpty();
        assertThat(store.findByMessageHash("r1").orElseThrow().failureReason()).isEqualTo("refused");
        // the refused batch is not recorded: two due, read one at a time, the oldest first
        assertThat(store.batchesSubmittedBefore(1000, 1)).extracting(BatchRow::createdAt).containsExactly(100L);
        assertThat(store.batchesSubmittedBefore(1000, 10)).extracting(BatchRow::createdAt).containsExactly(100L, 102L);
        assertThat(store.confirmBatches(List.of("a".repeat(64), "c".repeat(64)), 2000))
                .extracting(L2psMessageRow::messageHash).containsExactly("r0", "r2");
        assertThat(store.batchesSubmittedBefore(5000, 10)).isEmpty();
    }

    @Test
    void legacyOfflineMessages() {
        LegacyOfflineRow r1 = store.insertLegacyOffline(new LegacyOfflineRow(0, "bob", "alice", "1".repeat(64), "{}",
                "sig", 20));
        LegacyOfflineRow r2 = store.insertLegacyOffline(new LegacyOfflineRow(0, "bob", "carol", "2".repeat(64), "[]",
                "sig", 10));
        assertThatThrownBy(() -> store.insertLegacyOffline(new LegacyOfflineRow(0, "bob", "x", "1".repeat(64), "{}",
                "sig", 30))).isInstanceOf(DuplicateKeyException.class);
        assertThat(r1.id()).isNotEqualTo(r2.id());
        assertThat(store.pendingLegacy("bob")).extracting(LegacyOfflineRow::senderId).containsExactly("carol", "alice");
        store.markLegacySent(List.of(r2.id()));
        store.deleteLegacyOffline(r1.id());
        assertThat(store.pendingLegacy("bob")).isEmpty();
    }

    @Test
    void proofsAreUsableOnceUntilPurged() {
        assertThat(store.recordProofUse("k\nregister:x:1", 100)).isTrue();
        assertThat(store.recordProofUse("k\nregister:x:1", 100)).isFalse();
        assertThat(store.purgeExpiredProofs(100)).isZero();
        assertThat(store.purgeExpiredProofs(101)).isEqualTo(1);
        assertThat(store.recordProofUse("k\nregister:x:1", 200)).isTrue();
    }

    @Test
    void kemKeyDirectory() {
        assertThat(store.kemKey(A, UID)).isEmpty();
        store.publishKemKey(A, UID, "k1", List.of(), 1);
        store.publishKemKey(A, UID, "k2", List.of("envelope"), 2);
        assertThat(store.kemKey(A, UID)).contains(new MessageStore.KemKeyEntry("k2", List.of("envelope")));
        assertThat(store.kemKey(A, "net_b")).isEmpty();
        // docs/envelopes.md §6: a key published again without the extension no longer advertises it
        store.publishKemKey(A, UID, "k3", List.of(), 3);
        assertThat(store.kemKey(A, UID)).contains(new MessageStore.KemKeyEntry("k3", List.of()));
    }
}
