package io.github.demosim.server.internal.l2ps;

import io.github.demosim.L2psStatus;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.HistoryResponse;
import io.github.demosim.frame.l2ps.MessageStatus;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.internal.wire.JsNumber;
import io.github.demosim.internal.wire.Received;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.json.JsValues;
import io.github.demosim.server.internal.store.L2psMessageRow;
import io.github.demosim.server.internal.store.Page;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A conversation's history (l2ps.md §7.1) and the pipeline's {@code message_status} pushes (hardened). */
final class L2psHistory {
    private static final int DEFAULT_HISTORY_LIMIT = 50;
    /** Stands in for a stored message's {@code encrypted}, which goes out verbatim as stored (history). */
    private static final Encrypted STORED_ENCRYPTED = Encrypted.of("", "", null);

    private final L2psContext x;

    L2psHistory(L2psContext context) {
        this.x = context;
    }

    void history(L2psRequest r) {
        String me = r.session.publicKey();
        String uid = r.session.l2psUid();
        if (me == null) {
            r.error("REGISTRATION_REQUIRED", "Register first");
            return;
        }
        JsonValue peerKey = r.get(Received.PEER_KEY);
        JsonValue proof = r.get(Received.PROOF);
        if (!JsValues.truthy(peerKey) || !JsValues.truthy(proof)) {
            r.error("INVALID_MESSAGE", "Missing peerKey or proof");
            return;
        }
        String peer = JsValues.toJsString(peerKey);
        String proofMessage = "history:" + peer + ":" + JsValues.toJsString(r.timestamp());
        L2psProofs.Check check = x.proofs.verify(me, proofMessage, proof);
        if (check instanceof L2psProofs.Invalid) {
            r.error("INVALID_PROOF", "History proof failed");
            return;
        }
        if (check instanceof L2psProofs.Broken) {
            r.error("INVALID_PROOF", "Proof verification error");
            return;
        }
        if (x.proofs.refusedAsStale(r)) {
            return;
        }
        Long before = null;
        JsonValue b = r.get(Received.BEFORE);
        if (JsValues.truthy(b)) {
            before = bigintParameter(b);
            if (before == null) {
                x.rules.refuseParameter(r, "Invalid before (expected a server timestamp in ms)");
                return;
            }
        }
        int limit = DEFAULT_HISTORY_LIMIT;
        JsonValue l = r.get(Received.LIMIT);
        if (l != null && !(l instanceof JsonValue.JsonNull)) {
            Long parsed = l instanceof JsonValue.JsonNumber ? bigintParameter(l) : null;
            if (parsed == null || parsed < 0) {
                x.rules.refuseParameter(r, "Invalid limit (expected an integer from 0 to "
                        + ServerConfig.HARDENED_MAX_HISTORY_LIMIT + ")");
                return;
            }
            limit = (int) Math.min(parsed, x.rules.historyCap());
        }
        // Both modes: a page stops at 10,000 messages or 4 MiB past its first message (then hasMore), so one
        // request never loads or buffers a whole conversation; the client pages on with `before`.
        Page<L2psMessageRow> page = x.store.history(uid, me, peer, before,
                Math.min(limit, ServerConfig.MAX_HISTORY_PAGE_ROWS), ServerConfig.MAX_HISTORY_PAGE_BYTES);
        boolean hasMore = page.next() != null;
        List<StoredMessage> messages = new ArrayList<>();
        List<JsonValue> relayed = new ArrayList<>();
        for (L2psMessageRow row : page.rows()) {
            messages.add(new StoredMessage(row.id(), row.from(), row.to(), row.messageHash(), STORED_ENCRYPTED,
                    row.l2psUid(), row.l2psTxHash(), row.timestamp(), L2psStatus.fromWire(row.wireStatus())));
            relayed.add(x.codec.parse(row.encryptedJson()));
        }
        // Each stored `encrypted` goes out as its sender wrote it, in place of the record's stand-in.
        r.reply((at, id) -> new HistoryResponse(messages, hasMore, at, id), path -> {
            for (int i = 0; i < relayed.size(); i++) {
                if (path.equals(FrameEncoder.Verbatim.storedEncrypted(i))) {
                    return relayed.get(i);
                }
            }
            return null;
        });
    }

    /**
     * How PostgreSQL reads a JavaScript value bound to a {@code bigint} parameter: numbers through their
     * JavaScript text (so {@code 1.5} and {@code 1e+21} fail), strings as integer literals with optional sign
     * and surrounding spaces; everything else fails.
     */
    private static Long bigintParameter(JsonValue v) {
        String text;
        if (v instanceof JsonValue.JsonNumber n) {
            text = JsNumber.toString(n.value());
        } else if (v instanceof JsonValue.JsonString s) {
            text = s.value().strip();
        } else {
            return null;
        }
        if (!text.matches("[+-]?[0-9]+")) {
            return null;
        }
        try {
            return new BigDecimal(text).longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /**
     * Pushes {@code message_status} to online senders that asked for it (hardened mode only).
     *
     * @param changed messages whose pipeline state changed, with the new state
     */
    void pipelineChanged(List<L2psMessageRow> changed) {
        if (!x.rules.pushesStatus() || x.stopping()) {
            return;
        }
        for (L2psMessageRow row : changed) {
            L2psRegistry.Entry sender = x.registry.get(row.from());
            if (sender == null || !sender.features().contains(L2psProtocol.FEATURE_MESSAGE_STATUS)) {
                continue;
            }
            // Queued behind the frame the sender's connection is handling, so a push never overtakes the
            // acknowledgement of the send it is about.
            // docs/server.md: l2psTxHash is null, not absent, while the message has none
            FrameEncoder.Verbatim noHash = row.l2psTxHash() == null
                    ? FrameEncoder.Verbatim.at(FrameEncoder.Verbatim.L2PS_TX_HASH, JsonValue.nullValue())
                    : FrameEncoder.Verbatim.NONE;
            String frame = x.reply.frame((at, id) -> new MessageStatus(row.messageHash(), row.pipeline().column(),
                    row.l2psTxHash(), at, id), null, noHash);
            L2psSession s = sender.connection().state(L2psSession.class);
            if (s != null && s.replies != null) {
                s.replies.next().send(frame); // behind every reply of a request read before this change
            } else {
                sender.connection().sendAfterCurrent(frame);
            }
        }
    }
}
