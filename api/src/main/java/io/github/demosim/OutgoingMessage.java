package io.github.demosim;

import io.github.demosim.crypto.MessageEnvelope;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A message to send with {@code send(to, message)}: text, media or a reaction, optionally a reply to an earlier
 * message ({@code docs/envelopes.md} §7). Everything but plain text travels only in a signed envelope, so it can be
 * sent only to a peer that reads envelopes; plain text goes to any peer.
 *
 * <pre>{@code
 * OutgoingMessage.text("See you at 8");
 * OutgoingMessage.text("Yes!").inReplyTo(question.messageId().orElseThrow());
 * OutgoingMessage.reaction(question.messageId().orElseThrow(), "👍");
 * OutgoingMessage.media("image/png", Bytes.of(pngBytes));
 * }</pre>
 *
 * @param type text, media or reaction
 * @param content the text, the media as a data URI ({@link MessageEnvelope.Media#toContent()}), or the reaction
 * @param replyTo the id of the message this one answers or reacts to
 */
public record OutgoingMessage(MessageEnvelope.Type type, String content, Optional<String> replyTo) {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * Creates the message.
     *
     * @param type text, media or reaction
     * @param content the content
     * @param replyTo the message answered or reacted to
     * @throws IllegalArgumentException if the type is not text, media or reaction, a reaction has no
     *     {@code replyTo} or no content, a media content is not a data URI, or {@code replyTo} is not a message id
     */
    public OutgoingMessage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(replyTo, "replyTo");
        if (type == MessageEnvelope.Type.SYSTEM || type == MessageEnvelope.Type.TRANSFER) {
            throw new IllegalArgumentException("This SDK sends text, media and reactions, not " + type.wireName());
        }
        replyTo.ifPresent(id -> {
            if (!UUID.matcher(id).matches()) {
                throw new IllegalArgumentException("replyTo must be a message id (a lowercase UUID, as "
                        + "ReceivedMessage.messageId() gives it), not '" + id + "'");
            }
        });
        if (type == MessageEnvelope.Type.REACTION && (replyTo.isEmpty() || content.isEmpty())) {
            throw new IllegalArgumentException("A reaction needs the id of the message it reacts to and the reaction");
        }
        if (type == MessageEnvelope.Type.MEDIA) {
            MessageEnvelope.Media.fromContent(content);
        }
    }

    /**
     * A text message.
     *
     * @param text the text
     * @return the message
     */
    public static OutgoingMessage text(String text) {
        return new OutgoingMessage(MessageEnvelope.Type.TEXT, text, Optional.empty());
    }

    /**
     * A media message: a file with its MIME type, sent inside the envelope. It must fit in one frame; the peer's
     * {@code send} says how much fits when it does not.
     *
     * @param mimeType e.g. {@code image/png}
     * @param data the bytes
     * @return the message
     * @throws IllegalArgumentException if the MIME type is not {@code type/subtype} in lowercase
     */
    public static OutgoingMessage media(String mimeType, Bytes data) {
        return new OutgoingMessage(MessageEnvelope.Type.MEDIA, new MessageEnvelope.Media(mimeType, data).toContent(),
                Optional.empty());
    }

    /**
     * A reaction to a message.
     *
     * @param messageId the id of the message reacted to
     * @param reaction e.g. an emoji
     * @return the message
     */
    public static OutgoingMessage reaction(String messageId, String reaction) {
        return new OutgoingMessage(MessageEnvelope.Type.REACTION, reaction, Optional.of(messageId));
    }

    /**
     * Returns this message as a reply to another.
     *
     * @param messageId the id of the message answered
     * @return the reply
     */
    public OutgoingMessage inReplyTo(String messageId) {
        return new OutgoingMessage(type, content, Optional.of(messageId));
    }

    /**
     * Returns whether the message needs a signed envelope: anything but plain text with no reply.
     *
     * @return whether plain text cannot carry it
     */
    public boolean needsEnvelope() {
        return type != MessageEnvelope.Type.TEXT || replyTo.isPresent();
    }
}
