package io.github.demosim.reliability.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.SendResult;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.reliability.support.Await;
import io.github.demosim.reliability.support.Ledger;
import io.github.demosim.reliability.support.Peers;
import io.github.demosim.reliability.support.ProcessStats;
import io.github.demosim.reliability.support.ServerProcess;
import io.github.demosim.reliability.support.Wire;
import io.github.demosim.tck.net.FaultProxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded soak (60 s by default, {@code -Dreliability.soak.seconds}): constant traffic among 40 SDK peers
 * at a hardened server (its own JVM, the durable H2 file), while 20 of them churn: every half second one is closed
 * and built again, and every 10 s the connections of all of them are cut. The server's threads, descriptors and
 * heap after GC, sampled every 15 s (after 15 s of warm-up), do not grow; neither do the client JVM's once the churn
 * stops; no message is lost, and no peer instance hands a message to its application twice. Run with
 * {@code mvn -B -Pload verify -pl reliability -am}; figures in docs/reliability.md.
 */
@Tag("load")
class SoakTests {
    private static final int STABLE = 20;
    private static final int CHURNING = 20;
    private static final Duration SOAK = Duration.ofSeconds(Long.getLong("reliability.soak.seconds", 60));
    private static final Duration GUARD = Duration.ofMinutes(3);
    private static final double MIB = 1024.0 * 1024.0;

    @Test
    void constantTrafficAndReconnectChurnGrowNothing(@TempDir Path dir) throws Exception {
        DemosCrypto crypto = DemosCrypto.load();
        ExecutorService callbacks = Executors.newFixedThreadPool(2, LoadTests.daemon("soak-callbacks"));
        ScheduledExecutorService driver = Executors.newScheduledThreadPool(2, LoadTests.daemon("soak-driver"));
        Map<String, Integer> deliveriesByHash = new ConcurrentHashMap<>(); // across instances of one identity
        List<Ledger> instanceLedgers = new CopyOnWriteArrayList<>();
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        AtomicInteger failedSends = new AtomicInteger();
        AtomicInteger rebuilt = new AtomicInteger();
        AtomicInteger cuts = new AtomicInteger();
        AtomicInteger failedConnects = new AtomicInteger();
        List<Throwable> driverFailures = new CopyOnWriteArrayList<>();
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < STABLE + CHURNING; i++) {
            ids.add(Identity.generate());
        }
        try (ServerProcess server = ServerProcess.on(dir.resolve("db")).maxHeap("256m")
                .limit("addressRate", 0, 0).start();
                FaultProxy proxy = FaultProxy.start(server.l2psPort())) {
            URI direct = server.l2psUri();
            URI viaProxy = URI.create("ws://127.0.0.1:" + proxy.port() + "/");
            // The client's baseline once each transport has run and closed a connection: loading their classes
            // opens jars (descriptors) and starts the JDK's shared threads, which is not growth.
            Identity absent = Identity.generate();
            for (String transport : Peers.TRANSPORTS) {
                for (URI uri : List.of(direct, viaProxy)) {
                    L2psMessagingPeer warm = Peers.l2ps(uri, Identity.generate(), transport).build();
                    warm.connect().join();
                    warm.sendText(absent.ed25519PublicKeyHex(), absent.mlKemPublicKey(), "warm-up").join();
                    warm.close();
                }
            }
            Await.sleep(1_500); // the transports' shared timer ends about a second after the last connection
            ProcessStats clientBefore = ProcessStats.measure();
            AtomicReferenceArray<L2psMessagingPeer> peers = new AtomicReferenceArray<>(ids.size());
            java.util.function.IntFunction<L2psMessagingPeer> build = i -> {
                Ledger ledger = new Ledger();
                instanceLedgers.add(ledger);
                L2psMessagingPeer p = Peers.l2ps(i < STABLE ? direct : viaProxy, ids.get(i),
                        Peers.TRANSPORTS.get(i % 2)).executor(callbacks).build();
                p.onMessage(m -> {
                    ledger.record(m.messageHash());
                    deliveriesByHash.merge(m.messageHash(), 1, Integer::sum);
                });
                try {
                    p.connect().join();
                    return p;
                } catch (RuntimeException e) {
                    // A first connect is not retried by the SDK (its documented contract), and the proxy may cut it.
                    p.close();
                    failedConnects.incrementAndGet();
                    return null;
                }
            };
            java.util.function.IntFunction<L2psMessagingPeer> connected = i -> {
                for (int attempt = 0; attempt < 50; attempt++) {
                    L2psMessagingPeer p = build.apply(i);
                    if (p != null) {
                        return p;
                    }
                    Await.sleep(100);
                }
                throw new AssertionError("peer " + i + " could not connect in 50 attempts");
            };
            for (int i = 0; i < ids.size(); i++) {
                peers.set(i, connected.apply(i));
            }
            ProcessStats serverStart = server.stats();

            Random random = new Random(1);
            // Traffic: a message every 25 ms.
            driver.scheduleAtFixedRate(() -> {
                try {
                    sendOne(random, ids, peers, crypto, acknowledged, failedSends);
                } catch (Throwable t) {
                    driverFailures.add(t);
                }
            }, 0, 25, TimeUnit.MILLISECONDS);
            // Churn: one churning peer closed and built again every 500 ms; all churning connections cut every 10 s.
            driver.scheduleWithFixedDelay(() -> {
                try {
                    int i = STABLE + random.nextInt(CHURNING);
                    peers.get(i).close();
                    peers.set(i, connected.apply(i));
                    rebuilt.incrementAndGet();
                } catch (Throwable t) {
                    driverFailures.add(t); // a scheduled task that throws is never run again
                }
            }, 500, 500, TimeUnit.MILLISECONDS);
            driver.scheduleAtFixedRate(() -> {
                proxy.cutAll();
                cuts.incrementAndGet();
            }, 10, 10, TimeUnit.SECONDS);

            List<ProcessStats> samples = new ArrayList<>();
            long end = System.nanoTime() + SOAK.toNanos();
            Await.sleep(15_000);
            while (System.nanoTime() < end) {
                samples.add(server.stats());
                System.out.printf("progress: server %s; %d acknowledged, %d peers rebuilt, %d cuts%n",
                        samples.get(samples.size() - 1).line(), acknowledged.size(), rebuilt.get(), cuts.get());
                Await.sleep(Math.min(15_000, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
            }
            driver.shutdown();
            assertThat(driver.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(driverFailures).as("failures of the traffic and churn tasks").isEmpty();
            Await.until("every send answered", GUARD, () -> PENDING.get() == 0);
            ProcessStats serverEnd = server.stats();

            // Nothing lost: every acknowledged message reached an application of its recipient.
            Await.until(() -> "every acknowledged message delivered: " + acknowledged.stream()
                    .filter(h -> !deliveriesByHash.containsKey(h)).count() + " missing", GUARD,
                    () -> acknowledged.stream().allMatch(deliveriesByHash::containsKey));
            assertThat(failedSends.get()).as("sends that failed for good").isZero();
            for (Ledger l : instanceLedgers) {
                assertThat(l.duplicated()).as("messages one peer instance handed over twice").isEmpty();
            }
            long again = deliveriesByHash.values().stream().filter(n -> n > 1).count();

            for (int i = 0; i < ids.size(); i++) {
                peers.get(i).close();
            }
            callbacks.shutdown();
            callbacks.awaitTermination(10, TimeUnit.SECONDS);
            Await.sleep(1_500); // transports end their last threads about a second after their last connection
            ProcessStats clientEnd = ProcessStats.measure();

            ProcessStats first = samples.get(0);
            ProcessStats last = samples.get(samples.size() - 1);
            System.out.printf("FIGURE soak: %d s, %d messages acknowledged and delivered, 0 lost; %d peer instances "
                    + "rebuilt, %d cuts of all churning connections; %d messages delivered again to a new instance "
                    + "of their recipient (acknowledgement lost with the old one), 0 twice to one instance; %d first "
                    + "connects cut and repeated%n", SOAK.toSeconds(), acknowledged.size(), rebuilt.get(), cuts.get(),
                    again, failedConnects.get());
            System.out.printf("FIGURE soak/server start: %s%n", serverStart.line());
            for (ProcessStats s : samples) {
                System.out.printf("FIGURE soak/server sample: %s%n", s.line());
            }
            System.out.printf("FIGURE soak/server end: %s%n", serverEnd.line());
            System.out.printf("FIGURE soak/client before: %s; after: %s%n", clientBefore.line(), clientEnd.line());

            // Jetty's pool (at most 32 threads) grows with bursts, such as 20 peers reconnecting at once, and
            // shrinks after a minute idle; nothing else may add threads.
            for (ProcessStats s : samples) {
                assertThat(s.threads()).as("server threads").isLessThanOrEqualTo(serverStart.threads() + 32);
            }
            assertThat(last.fileDescriptors()).as("server descriptors, last sample vs first")
                    .isLessThanOrEqualTo(first.fileDescriptors() + 10);
            assertThat((last.heapAfterGcBytes() - first.heapAfterGcBytes()) / MIB)
                    .as("server heap after GC, growth from the first sample to the last, MiB").isLessThan(16);
            assertThat(clientEnd.threads()).as("client threads after the soak").isLessThanOrEqualTo(
                    clientBefore.threads() + 6);
            assertThat(clientEnd.fileDescriptors()).as("client descriptors after the soak")
                    .isLessThanOrEqualTo(clientBefore.fileDescriptors() + 6);
        } finally {
            driver.shutdownNow();
            callbacks.shutdownNow();
        }
    }

    /** One message from a random stable peer to a random other peer, encrypted once, repeated until acknowledged. */
    private static void sendOne(Random random, List<Identity> ids, AtomicReferenceArray<L2psMessagingPeer> peers,
            DemosCrypto crypto, List<String> acknowledged, AtomicInteger failedSends) {
        int from = random.nextInt(STABLE);
        int to = (from + 1 + random.nextInt(ids.size() - 1)) % ids.size();
        String hash = Wire.newHash();
        var e = crypto.seal(ids.get(to).mlKemPublicKey(), ("soak " + hash).getBytes(StandardCharsets.UTF_8))
                .toL2psEncrypted();
        sendUntilAcknowledged(peers.get(from), ids.get(to).ed25519PublicKeyHex(), e, hash).whenComplete((r, x) -> {
            if (x == null) {
                acknowledged.add(hash);
            } else {
                failedSends.incrementAndGet();
            }
        });
    }

    /** Sends not answered yet. */
    private static final AtomicInteger PENDING = new AtomicInteger();

    /** Sends; when the sender is being rebuilt or reconnecting, repeats the same payload and hash. */
    private static CompletableFuture<SendResult> sendUntilAcknowledged(L2psMessagingPeer peer, String to,
            io.github.demosim.frame.l2ps.Encrypted e, String hash) {
        PENDING.incrementAndGet();
        CompletableFuture<SendResult> r = LoadTests.sendReliably(peer, to, e, hash, new AtomicInteger());
        r.whenComplete((x, y) -> PENDING.decrementAndGet());
        return r;
    }
}
