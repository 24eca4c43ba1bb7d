package io.github.demosim.server.internal.pipeline;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.internal.json.CanonicalJson;
import io.github.demosim.server.internal.json.JsHex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The two hashes of the simulated L2PS pipeline, documented in docs/server.md.
 *
 * <ul>
 *   <li>Transaction hash ({@code l2psTxHash}): lowercase hex SHA-256 of the UTF-8 bytes of
 *       {@code JSON.stringify} of the node's instant-messaging transaction, keys in this order:
 *       {@code {"type":"instantMessaging","l2psUid":…,"from":…,"to":…,"amount":0,"nonce":<ts>,"timestamp":<ts>,
 *       "data":["instantMessaging",{"messageId":…,"messageHash":…,"encrypted":<as received>,"timestamp":<ts>}]}}
 *       where {@code <ts>} is the server receive time in ms (l2ps.md §7.3 fields; the node hashes its own
 *       serialisation and then an encrypted wrapper, which a simulation cannot reproduce).</li>
 *   <li>Batch hash: lowercase hex SHA-256 of {@code L2PS_BATCH_<uid>:<count>:<tx hashes sorted ascending,
 *       joined by ",">}, exactly as the node (l2ps.md §7.4).</li>
 * </ul>
 */
public final class L2psHashes {
    private final UnaryOperator<byte[]> sha256;

    /**
     * Creates the hasher.
     *
     * @param sha256 SHA-256 (the crypto provider's)
     */
    public L2psHashes(UnaryOperator<byte[]> sha256) {
        this.sha256 = sha256;
    }

    /**
     * The canonical transaction text that {@link #transactionHash} hashes.
     *
     * @param l2psUid network
     * @param from sender
     * @param to recipient
     * @param messageId server message id
     * @param messageHash client hash
     * @param encrypted the encrypted object as received
     * @param timestamp server time
     * @return the text
     */
    public static String transactionText(String l2psUid, String from, String to, String messageId, String messageHash,
            JsonValue encrypted, long timestamp) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"type\":\"instantMessaging\",\"l2psUid\":");
        CanonicalJson.string(l2psUid, out);
        out.append(",\"from\":");
        CanonicalJson.string(from, out);
        out.append(",\"to\":");
        CanonicalJson.string(to, out);
        out.append(",\"amount\":0,\"nonce\":").append(timestamp).append(",\"timestamp\":").append(timestamp);
        out.append(",\"data\":[\"instantMessaging\",{\"messageId\":");
        CanonicalJson.string(messageId, out);
        out.append(",\"messageHash\":");
        CanonicalJson.string(messageHash, out);
        out.append(",\"encrypted\":");
        CanonicalJson.write(encrypted, out);
        out.append(",\"timestamp\":").append(timestamp).append("}]}");
        return out.toString();
    }

    /**
     * The transaction hash.
     *
     * @param l2psUid network
     * @param from sender
     * @param to recipient
     * @param messageId server message id
     * @param messageHash client hash
     * @param encrypted the encrypted object as received
     * @param timestamp server time
     * @return 64 lowercase hex characters
     */
    public String transactionHash(String l2psUid, String from, String to, String messageId, String messageHash,
            JsonValue encrypted, long timestamp) {
        return hex(transactionText(l2psUid, from, to, messageId, messageHash, encrypted, timestamp));
    }

    /**
     * The text that {@link #batchHash} hashes.
     *
     * @param l2psUid network
     * @param txHashes transaction hashes, any order
     * @return {@code L2PS_BATCH_<uid>:<count>:<sorted hashes joined by ",">}
     */
    public static String batchText(String l2psUid, List<String> txHashes) {
        List<String> sorted = new ArrayList<>(txHashes);
        Collections.sort(sorted); // JavaScript's default sort: UTF-16 code unit order, as String.compareTo
        return "L2PS_BATCH_" + l2psUid + ":" + sorted.size() + ":" + String.join(",", sorted);
    }

    /**
     * The batch hash.
     *
     * @param l2psUid network
     * @param txHashes transaction hashes
     * @return 64 lowercase hex characters
     */
    public String batchHash(String l2psUid, List<String> txHashes) {
        return hex(batchText(l2psUid, txHashes));
    }

    private String hex(String text) {
        return JsHex.encode(sha256.apply(text.getBytes(StandardCharsets.UTF_8)));
    }
}
