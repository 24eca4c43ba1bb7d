package io.github.demosim.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Arbitrary interleavings of replies and unrelated frames: every request gets exactly its own reply, with and
 * without request-id echo (l2ps.md §2.1, checklist item 31; legacy-and-crypto.md §C.2 item 13).
 */
class CorrelatorProperties {

    /** A frame as the correlator sees it. */
    record F(String type, String requestId, String key, int forRequest) {
    }

    /** The kinds of request of the L2PS protocol and how their replies are keyed. */
    private static final String[][] KINDS = {
        {"send", "message_sent", "hash"}, {"send", "message_queued", "hash"},
        {"request_public_key", "public_key_response", "target"}, {"history", "history_response", null},
        {"discover", "discover_response", null}, {"register", "registered", null},
    };
    private static final Map<String, Set<String>> REPLIES = Map.of(
            "send", Set.of("message_sent", "message_queued"), "request_public_key", Set.of("public_key_response"),
            "history", Set.of("history_response"), "discover", Set.of("discover_response"),
            "register", Set.of("registered"));

    @Property(tries = 1000)
    void everyRequestGetsItsOwnReplyWhateverArrivesInBetween(
            @ForAll @Size(max = 25) List<@IntRange(max = 5) Integer> kinds,
            @ForAll @Size(max = 40) List<@IntRange(max = 6) Integer> noise,
            @ForAll @IntRange(max = 3) int targets,
            @ForAll boolean echo, @ForAll Random random) {
        Correlator<F, Integer> c = new Correlator<>();
        List<Correlator.Pending<F, Integer>> pending = new ArrayList<>();
        List<F> replies = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            String[] k = KINDS[kinds.get(i)];
            String key = k[2] == null ? null : k[2].equals("hash") ? "h" + i : "t" + random.nextInt(targets + 1);
            String rid = "req_" + i;
            pending.add(c.add(rid, k[0], REPLIES.get(k[0]), key, null, i));
            replies.add(new F(k[1], echo ? rid : null, key, i));
        }
        List<F> stream = interleave(replies, noise(noise, echo), random);

        Map<Integer, F> got = new HashMap<>();
        for (F f : stream) {
            Optional<Correlator.Pending<F, Integer>> match = c.onReply(f.type, f.requestId, f.key, f);
            if (f.forRequest < 0) {
                assertThat(match).as("unrelated %s must match nothing", f).isEmpty();
                continue;
            }
            assertThat(match).as("reply %s must match a request", f).isPresent();
            assertThat(got.put(match.get().attachment(), f)).as("request answered twice").isNull();
        }
        assertThat(c.size()).isZero();
        for (int i = 0; i < kinds.size(); i++) {
            F reply = got.get(i);
            F own = replies.get(i);
            // keyed replies with a shared key, and unkeyed replies of one type, are interchangeable: the
            // request must get one of the same type and key (and, with echo, exactly its own)
            assertThat(reply.type).isEqualTo(own.type);
            assertThat(reply.key).isEqualTo(own.key);
            if (echo || own.key == null) {
                assertThat(reply.forRequest).isEqualTo(i);
            }
        }
    }

    @Property(tries = 1000)
    void echoedErrorsFailExactlyTheirRequestAndUnrelatedErrorsNone(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(max = 5) Integer> kinds,
            @ForAll @IntRange(max = 19) int failing, @ForAll Random random) {
        Correlator<F, Integer> c = new Correlator<>();
        for (int i = 0; i < kinds.size(); i++) {
            String[] k = KINDS[kinds.get(i)];
            c.add("req_" + i, k[0], REPLIES.get(k[0]), k[2] == null ? null : "k" + i, null, i);
        }
        assertThat(c.onError("req_unknown", Set.of(), null)).isEmpty();
        int target = failing % kinds.size();
        assertThat(c.onError("req_" + target, Set.of(), null)).map(Correlator.Pending::attachment).contains(target);
        assertThat(c.size()).isEqualTo(kinds.size() - 1);
    }

    @Property(tries = 1000)
    void unechoedErrorsGoToTheOldestRequestOfTheKindTheyName(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(max = 5) Integer> kinds,
            @ForAll @IntRange(max = 5) int named) {
        Correlator<F, Integer> c = new Correlator<>();
        for (int i = 0; i < kinds.size(); i++) {
            String[] k = KINDS[kinds.get(i)];
            c.add(null, k[0], REPLIES.get(k[0]), null, null, i);
        }
        String kind = KINDS[named][0];
        Optional<Integer> expected = java.util.stream.IntStream.range(0, kinds.size())
                .filter(i -> KINDS[kinds.get(i)][0].equals(kind)).boxed().findFirst();
        assertThat(c.onError(null, Set.of(kind), null).map(Correlator.Pending::attachment)).isEqualTo(expected);
        // an error naming no kind falls back to the oldest request of any kind
        int oldest = expected.orElse(-1) == 0 ? 1 : 0;
        if (c.size() > 0) {
            assertThat(c.onError(null, Set.of(), null).map(Correlator.Pending::attachment)).contains(oldest);
        }
    }

    /** Frames no request waits for: pushes, replies with keys nobody asked about, ids nobody sent. */
    private static List<F> noise(List<Integer> picks, boolean echo) {
        List<F> out = new ArrayList<>();
        for (int n : picks) {
            out.add(switch (n) {
                case 0 -> new F("message", null, null, -1);
                case 1 -> new F("peer_joined", null, null, -1);
                case 2 -> new F("peer_left", null, null, -1);
                case 3 -> new F("message_sent", null, "hash-nobody-sent", -1);
                case 4 -> new F("public_key_response", null, "target-nobody-asked", -1);
                case 5 -> new F("message_status", null, null, -1);
                default -> new F(echo ? "history_response" : "message", echo ? "req_timed_out" : null, null, -1);
            });
        }
        return out;
    }

    /**
     * Merges replies and noise at random, keeping replies of one unkeyed type in request order (the server
     * answers those first come, first served) and letting keyed replies overtake each other.
     */
    private static List<F> interleave(List<F> replies, List<F> noise, Random random) {
        Map<String, List<F>> fifo = new HashMap<>();
        List<List<F>> queues = new ArrayList<>();
        for (F r : replies) {
            if (r.key == null) {
                fifo.computeIfAbsent(r.type, t -> {
                    List<F> q = new ArrayList<>();
                    queues.add(q);
                    return q;
                }).add(r);
            } else {
                queues.add(new ArrayList<>(List.of(r)));
            }
        }
        queues.add(new ArrayList<>(noise));
        List<F> out = new ArrayList<>();
        while (queues.stream().anyMatch(q -> !q.isEmpty())) {
            List<F> q = queues.get(random.nextInt(queues.size()));
            if (!q.isEmpty()) {
                out.add(q.remove(0));
            }
        }
        return out;
    }
}
