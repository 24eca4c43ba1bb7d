package io.github.demosim.internal.peer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Matches replies to the requests waiting for them, whether or not the server echoes request ids
 * ({@code l2ps.md} §2.1, {@code legacy-and-crypto.md} §C.2 item 13).
 *
 * <p>A reply is matched:
 * <ol>
 *   <li>by {@code requestId} when it carries one: exactly that request, or none (a late reply to a request
 *       that already timed out must not be taken by another one);</li>
 *   <li>else to the <em>oldest</em> request that expects its type, whose key (message hash, target id) equals
 *       the reply's key when the request has one, and whose filter accepts it.</li>
 * </ol>
 * An error frame is matched by {@code requestId} when it carries one; else to the oldest request of the kinds
 * the error text points to (see {@code L2psErrors}, {@code LegacyErrors}), or, when the text points nowhere,
 * to the oldest request of any kind. Frames that match nothing leave every request untouched, so unrelated
 * traffic never breaks a pending request.
 *
 * <p>Not thread-safe: confined to a peer's control thread.
 *
 * @param <F> the frame type
 * @param <A> what the caller attaches to a request
 */
public final class Correlator<F, A> {

    /** A request waiting for its reply. */
    public static final class Pending<F, A> {
        private final long seq;
        private final String requestId;
        private final String kind;
        private final Set<String> replyTypes;
        private final String key;
        private final Predicate<? super F> filter;
        private final A attachment;

        Pending(long seq, String requestId, String kind, Set<String> replyTypes, String key,
                Predicate<? super F> filter, A attachment) {
            this.seq = seq;
            this.requestId = requestId;
            this.kind = kind;
            this.replyTypes = replyTypes;
            this.key = key;
            this.filter = filter;
            this.attachment = attachment;
        }

        /** The caller's attachment. */
        public A attachment() {
            return attachment;
        }

        /** The request's kind: the wire type of the request frame. */
        public String kind() {
            return kind;
        }

        /** The request id sent, or {@code null}. */
        public String requestId() {
            return requestId;
        }

        @Override
        public String toString() {
            return kind + "#" + seq + (requestId == null ? "" : "/" + requestId) + (key == null ? "" : "[" + key + "]");
        }
    }

    private final Map<Long, Pending<F, A>> bySeq = new LinkedHashMap<>();
    private final Map<String, Pending<F, A>> byRequestId = new HashMap<>();
    private long nextSeq;

    /**
     * Registers a request, before its frame is written.
     *
     * @param requestId the id sent with the request, or {@code null}
     * @param kind the request's wire type
     * @param replyTypes the wire types of the replies that complete it
     * @param key the key its reply must carry (message hash, target id), or {@code null} to match by type only
     * @param filter a further condition on the reply, or {@code null}
     * @param attachment the caller's data
     * @return the pending request
     */
    public Pending<F, A> add(String requestId, String kind, Set<String> replyTypes, String key,
            Predicate<? super F> filter, A attachment) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(replyTypes, "replyTypes");
        Pending<F, A> p = new Pending<>(nextSeq++, requestId, kind, Set.copyOf(replyTypes), key, filter, attachment);
        bySeq.put(p.seq, p);
        if (requestId != null) {
            byRequestId.put(requestId, p);
        }
        return p;
    }

    /**
     * Finds and removes the request a reply answers.
     *
     * @param type the reply's wire type
     * @param requestId the reply's request id, or {@code null}
     * @param key the reply's key (message hash, target id), or {@code null}
     * @param frame the reply, for filters
     * @return the request, or empty if the reply answers none
     */
    public Optional<Pending<F, A>> onReply(String type, String requestId, String key, F frame) {
        if (requestId != null) {
            Pending<F, A> p = byRequestId.get(requestId);
            if (p != null && p.replyTypes.contains(type) && accepts(p, frame)) {
                remove(p);
                return Optional.of(p);
            }
            return Optional.empty();
        }
        for (Pending<F, A> p : bySeq.values()) {
            if (p.replyTypes.contains(type) && (p.key == null || p.key.equals(key)) && accepts(p, frame)) {
                remove(p);
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static <F> boolean accepts(Pending<F, ?> p, F frame) {
        return p.filter == null || p.filter.test(frame);
    }

    /**
     * Finds and removes the request an error frame answers.
     *
     * @param requestId the error's request id, or {@code null}
     * @param kinds the request kinds the error text points to; empty when it points nowhere
     * @param keyHint a key the error text names (the legacy {@code Target peer <id> not found}), or {@code null}
     * @return the request, or empty if the error is attributed to none
     */
    public Optional<Pending<F, A>> onError(String requestId, Set<String> kinds, String keyHint) {
        if (requestId != null) {
            Pending<F, A> p = byRequestId.get(requestId);
            if (p != null) {
                remove(p);
            }
            return Optional.ofNullable(p);
        }
        for (Pending<F, A> p : bySeq.values()) {
            if ((kinds.isEmpty() || kinds.contains(p.kind)) && (keyHint == null || keyHint.equals(p.key))) {
                remove(p);
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Removes a request (timed out, write failed); returns whether it was still waiting. */
    public boolean remove(Pending<F, A> p) {
        if (bySeq.remove(p.seq) == null) {
            return false;
        }
        if (p.requestId != null) {
            byRequestId.remove(p.requestId, p);
        }
        return true;
    }

    /** Whether a request is still waiting. */
    public boolean isWaiting(Pending<F, A> p) {
        return bySeq.containsKey(p.seq);
    }

    /** Removes and returns every waiting request, oldest first. */
    public List<Pending<F, A>> removeAll() {
        List<Pending<F, A>> all = new ArrayList<>(bySeq.values());
        bySeq.clear();
        byRequestId.clear();
        return all;
    }

    /** How many requests wait. */
    public int size() {
        return bySeq.size();
    }
}
