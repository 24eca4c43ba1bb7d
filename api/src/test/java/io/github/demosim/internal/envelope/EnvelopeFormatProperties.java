package io.github.demosim.internal.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.Bytes;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.crypto.MessageEnvelope.Profile;
import io.github.demosim.crypto.MessageEnvelope.Type;
import io.github.demosim.internal.wire.Stringify;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The version 1 envelope format (docs/envelopes.md §2–§4): the canonical JSON reads back to the same envelope, any
 * other spelling of it is refused, and each rule of the format is enforced with a reason that names it.
 */
class EnvelopeFormatProperties {
    private static final String A = "d686d4f6c1f4c7af89c4516f79e821f2e49b9af088808cff6b2d9d6e7df279c7";
    private static final String B = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private static final String ID = "5f0c8a3e-7b1d-4c2a-9e6f-1a2b3c4d5e6f";

    @Property(tries = 300)
    void theCanonicalJsonReadsBackToTheSameEnvelope(@ForAll("envelopes") MessageEnvelope e) {
        String json = e.toJson();
        assertThat(MessageEnvelope.isEnvelope(json)).isTrue();
        assertThat(MessageEnvelope.parse(json)).isEqualTo(e);
        // §3: the signing input is the prefix and the JSON without the signature, which it never contains
        String input = new String(e.signingInput(), StandardCharsets.UTF_8);
        assertThat(input).startsWith("demos-im/envelope/v1/" + e.profile().label() + "\n{\"content\":")
                .doesNotContain("\"signature\"");
    }

    @Property(tries = 200)
    void anotherSpellingOfTheSameJsonIsRefused(@ForAll("envelopes") MessageEnvelope e) {
        String json = e.toJson();
        String spaced = json.replaceFirst(",\"from\":", ", \"from\":");
        assertThatThrownBy(() -> MessageEnvelope.parse(spaced)).hasMessageContaining("not in canonical form");
        String reordered = "{\"version\":1," + json.substring(1).replace(",\"version\":1}", "}");
        assertThatThrownBy(() -> MessageEnvelope.parse(reordered)).hasMessageContaining("not in canonical form");
    }

    @Provide
    Arbitrary<MessageEnvelope> envelopes() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40).filter(Stringify::isWellFormed);
        Arbitrary<String> hexKey = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
        Arbitrary<Type> types = Arbitraries.of(Type.TEXT, Type.REACTION, Type.SYSTEM, Type.TRANSFER, Type.MEDIA);
        Arbitrary<Long> ts = Arbitraries.longs().between(0, (1L << 53) - 1);
        Arbitrary<Boolean> legacy = Arbitraries.of(true, false);
        Arbitrary<String> clientIds = text.filter(s -> !s.isEmpty());
        return Combinators.combine(legacy, types, text, ts, hexKey, hexKey, clientIds, clientIds)
                .as((isLegacy, type, content, timestamp, ka, kb, ia, ib) -> {
                    String c = type == Type.MEDIA ? new MessageEnvelope.Media("image/png",
                            Bytes.of(content.getBytes(StandardCharsets.UTF_8))).toContent()
                            : type == Type.REACTION && content.isEmpty() ? "+" : content;
                    Optional<String> reply = type == Type.REACTION || content.length() % 2 == 0
                            ? Optional.of(UUID.randomUUID().toString()) : Optional.empty();
                    if (isLegacy) {
                        return new MessageEnvelope(Profile.LEGACY, UUID.randomUUID().toString(), ia, ib, type, c,
                                timestamp, reply, Optional.of(Bytes.of(new byte[1952])),
                                Optional.of(Bytes.of(new byte[3309])));
                    }
                    return new MessageEnvelope(Profile.L2PS, UUID.randomUUID().toString(), ka, kb, type, c,
                            timestamp, reply, Optional.empty(), Optional.of(Bytes.of(new byte[64])));
                });
    }

    @Example
    void jcsEscapesAndOrdersAsRfc8785() {
        MessageEnvelope e = new MessageEnvelope(Profile.L2PS, ID, A, B, Type.TEXT,
                "\u00e9\u20ac\ud83d\ude00 \"q\" \\ \t\n\u0001\u007f\u2028", 1709312400000L, Optional.empty(),
                Optional.empty(), Optional.of(Bytes.of(new byte[64])));
        assertThat(e.toJson()).isEqualTo("{\"content\":\"\u00e9\u20ac\ud83d\ude00 \\\"q\\\" \\\\ \\t\\n\\u0001\u007f"
                + "\u2028\",\"from\":\"" + A + "\",\"id\":\"" + ID + "\",\"signature\":\"" + "00".repeat(64)
                + "\",\"timestamp\":1709312400000,\"to\":\"" + B + "\",\"type\":\"text\",\"version\":1}");
    }

    @Example
    void plainTextIsNotAnEnvelope() {
        assertThat(MessageEnvelope.isEnvelope("hello")).isFalse();
        assertThat(MessageEnvelope.isEnvelope("{\"version\":\"1.0\",\"data\":[1,2]}")).as("nested").isFalse();
        assertThat(MessageEnvelope.isEnvelope("{\"version\":1}")).as("no signature").isFalse();
        assertThat(MessageEnvelope.isEnvelope("{\"version\":1,\"signature\":\"x\",\"version\":2}")).as("duplicate")
                .isFalse();
        assertThat(MessageEnvelope.isEnvelope("{\"version\":1,\"signature\":\"x\"")).as("cut short").isFalse();
        assertThat(MessageEnvelope.isEnvelope(" {\"signature\":\"x\",\"version\":7}")).isTrue();
    }

    @Example
    void eachRuleIsEnforcedWithItsReason() {
        MessageEnvelope good = new MessageEnvelope(Profile.L2PS, ID, A, B, Type.TEXT, "hi", 1L, Optional.empty(),
                Optional.empty(), Optional.of(Bytes.of(new byte[64])));
        String json = good.toJson();
        assertRefused(json.replace("\"version\":1", "\"version\":2"), "envelope version 2 is not supported");
        assertRefused(json.replace("\"version\":1", "\"version\":1,\"x\":\"y\""), "unknown member 'x'");
        assertRefused(json.replace("\"id\":\"" + ID + "\",", ""), "member 'id' is missing");
        assertRefused(json.replace("\"type\":\"text\"", "\"type\":\"poll\""), "unknown type 'poll'");
        assertRefused(json.replace("\"type\":\"text\"", "\"type\":7"), "member 'type' must be a string");
        assertRefused(json.replace("\"timestamp\":1", "\"timestamp\":1.5"), "must be an integer");
        assertRefused(json.replace("\"timestamp\":1", "\"timestamp\":-1"), "timestamp must be ms since the epoch");
        assertRefused(json.replace(ID, ID.toUpperCase()), "id must be a lowercase UUID");
        assertRefused(json.replace(A, A.toUpperCase()), "from must be the sender's Ed25519 key");
        assertRefused(json.replace("00".repeat(64), "00".repeat(63)), "signature must be the 64-byte");
        assertRefused(json.replace("00".repeat(64), "0A".repeat(64)), "must be lowercase hex");
        assertRefused(json.replace("\"hi\"", "\"\\ud800\""), "not an envelope");
        assertRefused(json.replace("\"type\":\"text\"", "\"type\":\"reaction\""), "a reaction names the message");
        assertRefused(json.replace("\"type\":\"text\"", "\"type\":\"media\""), "media content must be a data URI");
        assertRefused(json.replace("\"hi\"", "\"data:image/png;base64,AAE\"").replace("text", "media"),
                "not in canonical form (standard alphabet, padded)");
        assertRefused(json.replace("\"hi\"", "\"data:IMAGE/png;base64,AAE=\"").replace("text", "media"),
                "the MIME type must be type/subtype in lowercase");
        assertRefused(json.replace("\"from\":", "\"signingKey\":\"00\",\"from\":"), "signingKey must be the 1952-byte");
        assertRefused("[1,2]", "not an envelope");
    }

    @Example
    void mediaCarriesItsTypeAndBytes() {
        MessageEnvelope.Media media = new MessageEnvelope.Media("text/plain;charset=utf-8", Bytes.of(new byte[] {1, 2, 3}));
        assertThat(media.toContent()).isEqualTo("data:text/plain;charset=utf-8;base64,AQID");
        assertThat(MessageEnvelope.Media.fromContent(media.toContent())).isEqualTo(media);
        MessageEnvelope e = new MessageEnvelope(Profile.L2PS, ID, A, B, Type.MEDIA, media.toContent(), 1L,
                Optional.empty(), Optional.empty(), Optional.of(Bytes.of(new byte[64])));
        assertThat(MessageEnvelope.parse(e.toJson()).media()).contains(media);
    }

    private static void assertRefused(String json, String reason) {
        assertThatThrownBy(() -> MessageEnvelope.parse(json)).as(json).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
