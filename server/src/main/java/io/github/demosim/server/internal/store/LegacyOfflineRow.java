package io.github.demosim.server.internal.store;

/**
 * One stored legacy offline message ({@code legacy_offline_messages}).
 *
 * @param id row id
 * @param recipientId the target id as sent (text)
 * @param senderId the sender's client id (text)
 * @param messageHash lowercase hex SHA-256 of the reference's hash text
 * @param contentJson the {@code message} value as compact JSON text
 * @param signature base64 of the node's Ed25519 signature over {@code messageHash}
 * @param timestamp storage time, ms
 */
public record LegacyOfflineRow(long id, String recipientId, String senderId, String messageHash, String contentJson,
        String signature, long timestamp) {
}
