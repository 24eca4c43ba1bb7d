package io.github.demosim.server.internal.l2ps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 16 item 3: a connection's replies leave in request order whatever order the requests are answered in
 * (pipelined sends answered from their group commits, a discover at once): nothing lost, nothing twice.
 */
class ReplySequencerProperties {

    /** A request: answered with one frame, with two (an answer and a later failure), or with none. */
    enum Kind { ONE, TWO, NONE }

    @Provide
    Arbitrary<List<Kind>> requests() {
        return Arbitraries.of(Kind.class).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 500)
    void anyCompletionOrderIsWrittenInTicketOrder(@ForAll("requests") List<Kind> kinds, @ForAll long seed) {
        List<String> out = new ArrayList<>();
        ReplySequencer<String> seq = new ReplySequencer<>(f -> {
            out.add(f);
            return CompletableFuture.completedFuture(null);
        });
        List<ReplySequencer<String>.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            tickets.add(seq.next());
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(seed));
        List<CompletableFuture<Void>> written = new ArrayList<>();
        for (int i : order) {
            switch (kinds.get(i)) {
                case ONE -> written.add(tickets.get(i).send("r" + i));
                case TWO -> {
                    written.add(tickets.get(i).send("r" + i));
                    written.add(tickets.get(i).send("r" + i + "'"));
                }
                case NONE -> tickets.get(i).close();
            }
        }
        check(kinds, out);
        assertThat(written).allMatch(CompletableFuture::isDone);
        assertThat(tickets).allMatch(t -> t.passed().isDone());
        assertThat(seq.open()).isZero();
    }

    @Property(tries = 50)
    void concurrentCompletionsAreWrittenInTicketOrderOnce(@ForAll("requests") List<Kind> kinds,
            @ForAll @IntRange(min = 2, max = 8) int threads) throws Exception {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        ReplySequencer<String> seq = new ReplySequencer<>(f -> {
            out.add(f);
            return CompletableFuture.completedFuture(null);
        });
        List<ReplySequencer<String>.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            tickets.add(seq.next());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int i = kinds.size() - 1; i >= 0; i--) {
                int n = i;
                done.add(pool.submit(() -> {
                    go.await();
                    switch (kinds.get(n)) {
                        case ONE -> tickets.get(n).send("r" + n);
                        case TWO -> {
                            tickets.get(n).send("r" + n);
                            tickets.get(n).send("r" + n + "'");
                        }
                        case NONE -> tickets.get(n).close();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        check(kinds, out);
    }

    /** First frames in ticket order; a second frame of one request after its first; every frame exactly once. */
    private static void check(List<Kind> kinds, List<String> out) {
        List<String> firsts = out.stream().filter(f -> !f.endsWith("'")).toList();
        assertThat(firsts).containsExactlyElementsOf(expected(kinds).stream().filter(f -> !f.endsWith("'")).toList());
        assertThat(out).containsExactlyInAnyOrderElementsOf(expected(kinds));
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) == Kind.TWO) {
                assertThat(out.indexOf("r" + i)).isLessThan(out.indexOf("r" + i + "'"));
            }
        }
    }

    private static List<String> expected(List<Kind> kinds) {
        List<String> e = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) != Kind.NONE) {
                e.add("r" + i);
            }
            if (kinds.get(i) == Kind.TWO) {
                e.add("r" + i + "'");
            }
        }
        return e;
    }
}
