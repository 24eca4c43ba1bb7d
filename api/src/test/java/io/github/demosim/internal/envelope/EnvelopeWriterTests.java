package io.github.demosim.internal.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.Bytes;
import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.KeyRole;
import io.github.demosim.OutgoingMessage;
import io.github.demosim.TrustStore;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.crypto.MessageEnvelope.Profile;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sending (docs/envelopes.md §6, §7): who gets an envelope, what needs one, what fits in one frame. */
class EnvelopeWriterTests {
    private static final String ALICE = "d686d4f6c1f4c7af89c4516f79e821f2e49b9af088808cff6b2d9d6e7df279c7";
    private static final String BOB = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

    private final TrustStore store = TrustStore.inMemory();
    private final EnvelopeWriter alice = new EnvelopeWriter(Profile.L2PS, ALICE, store,
            d -> FakeSignatures.sign(d, Bytes.fromHex(ALICE)));

    @Test
    void aRecipientGetsAnEnvelopeWhenItAdvertisesOneOrItsSigningKeyIsPinned() {
        assertThat(alice.envelopeFor(BOB, false)).isFalse();
        assertThat(alice.envelopeFor(BOB, true)).isTrue();
        store.pin(BOB, KeyRole.SIGNING, Bytes.fromHex(BOB));
        assertThat(alice.envelopeFor(BOB.toUpperCase(), false)).as("it signed to us, so it reads them").isTrue();
    }

    @Test
    void plainTextGoesToAnyoneTheRestOnlyInEnvelopes() {
        OutgoingMessage text = OutgoingMessage.text("hi");
        Optional<MessageEnvelope> draft = alice.draft(BOB, text);
        assertThat(alice.plaintext(BOB, text, draft, false)).isEqualTo("hi");
        String signed = alice.plaintext(BOB, text, draft, true);
        MessageEnvelope e = MessageEnvelope.parse(signed);
        assertThat(e.from()).isEqualTo(ALICE);
        assertThat(e.to()).isEqualTo(BOB);
        assertThat(e.content()).isEqualTo("hi");
        assertThat(e.id()).isEqualTo(draft.orElseThrow().id());

        OutgoingMessage reaction = OutgoingMessage.reaction(UUID.randomUUID().toString(), "👍");
        assertThatThrownBy(() -> alice.plaintext(BOB, reaction, alice.draft(BOB, reaction), false))
                .isInstanceOfSatisfying(ImException.class, ex -> assertThat(ex.code())
                        .isEqualTo(ErrorCode.FEATURE_UNAVAILABLE))
                .hasMessageContaining("reaction messages travel only in envelopes");
        OutgoingMessage reply = OutgoingMessage.text("yes").inReplyTo(UUID.randomUUID().toString());
        assertThatThrownBy(() -> alice.plaintext(BOB, reply, alice.draft(BOB, reply), false))
                .hasMessageContaining("a reply travel");
    }

    @Test
    void aRecipientThatIsNotAKeyCanOnlyGetPlainText() {
        assertThat(alice.draft("not-a-key", OutgoingMessage.text("hi"))).isEmpty();
        assertThatThrownBy(() -> alice.draft("not-a-key", OutgoingMessage.media("image/png", Bytes.of(new byte[1]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a signed envelope");
    }

    @Test
    void mediaAboveTheFrameLimitFailsAtOnceAndSaysHowMuchFits() {
        OutgoingMessage fits = OutgoingMessage.media("image/png", Bytes.of(new byte[70_000]));
        String json = alice.plaintext(BOB, fits, alice.draft(BOB, fits), true);
        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(
                EnvelopeWriter.L2PS_MAX_PLAINTEXT_BYTES);
        OutgoingMessage tooLarge = OutgoingMessage.media("image/png", Bytes.of(new byte[80_000]));
        assertThatThrownBy(() -> alice.draft(BOB, tooLarge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The media message is 107,").hasMessageContaining("at most 98,288")
                .hasMessageContaining("131,072 base64 characters").hasMessageMatching("(?s).*at most 73,\\d{3} bytes of media fit.*");
    }

    @Test
    void theLargestMediaTheErrorPromisesFits() {
        OutgoingMessage probe = OutgoingMessage.media("image/png", Bytes.of(new byte[200_000]));
        String message = catchMessage(() -> alice.draft(BOB, probe));
        int promised = Integer.parseInt(message.replaceAll("(?s).*at most ([0-9,]+) bytes of media fit.*", "$1")
                .replace(",", ""));
        OutgoingMessage largest = OutgoingMessage.media("image/png", Bytes.of(new byte[promised]));
        String json = alice.plaintext(BOB, largest, alice.draft(BOB, largest), true);
        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(
                EnvelopeWriter.L2PS_MAX_PLAINTEXT_BYTES);
        // the ciphertext is base64 of plaintext and the 16-byte tag: within the server's 131,072 characters
        assertThat(4 * ((json.getBytes(StandardCharsets.UTF_8).length + 16 + 2) / 3)).isLessThanOrEqualTo(131_072);
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
            throw new AssertionError("no exception");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
