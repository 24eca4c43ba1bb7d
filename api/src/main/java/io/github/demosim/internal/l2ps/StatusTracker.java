package io.github.demosim.internal.l2ps;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.L2psStatus;
import io.github.demosim.MessageStatusUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Futures waiting for sent messages to reach a pipeline stage (extension {@code message_status}). Remembers
 * the latest status of recent messages, so a wait that starts after the status arrived completes at once.
 * Confined to the control thread.
 */
final class StatusTracker {
    private static final int REMEMBERED = 16_384;

    private record Waiter(L2psStatus status, CompletableFuture<MessageStatusUpdate> future) {
    }

    private final Map<String, List<Waiter>> waiting = new HashMap<>();
    private final Map<String, MessageStatusUpdate> latest = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MessageStatusUpdate> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** Starts waiting; the future completes on the control thread. */
    void await(String messageHash, L2psStatus status, CompletableFuture<MessageStatusUpdate> future) {
        MessageStatusUpdate known = latest.get(messageHash);
        if (known != null && settles(status, known, future)) {
            return;
        }
        waiting.computeIfAbsent(messageHash, h -> new ArrayList<>()).add(new Waiter(status, future));
    }

    /** A status arrived. */
    void update(MessageStatusUpdate update) {
        latest.put(update.messageHash(), update);
        List<Waiter> ws = waiting.get(update.messageHash());
        if (ws == null) {
            return;
        }
        ws.removeIf(w -> settles(w.status, update, w.future));
        if (ws.isEmpty()) {
            waiting.remove(update.messageHash());
        }
    }

    /** Fails every wait (the peer closed or gave up). */
    void failAll(ImException cause) {
        waiting.values().forEach(ws -> ws.forEach(w -> w.future.completeExceptionally(cause)));
        waiting.clear();
    }

    private static boolean settles(L2psStatus wanted, MessageStatusUpdate update,
            CompletableFuture<MessageStatusUpdate> f) {
        if (update.status() == L2psStatus.FAILED && wanted != L2psStatus.FAILED) {
            f.completeExceptionally(new ImException(ErrorCode.SERVER_ERROR, "Message " + update.messageHash()
                    + " failed in the L2PS pipeline before reaching " + wanted.wireName()));
            return true;
        }
        if (update.status().hasReached(wanted)) {
            f.complete(update);
            return true;
        }
        return false;
    }
}
