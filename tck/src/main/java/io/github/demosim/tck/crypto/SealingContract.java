package io.github.demosim.tck.crypto;

import static io.github.demosim.tck.crypto.Support.flip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.demosim.Bytes;
import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.spi.CryptoProvider;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of {@code ml-kem-aes}: what is sealed opens, for the recipient only, and not after any change
 * (house rule 22). An ML-KEM-768 encapsulation plus decapsulation costs about a tenth of a millisecond, so
 * small messages get many tries; messages up to 96 KiB get fewer, since generating them dominates.
 */
public interface SealingContract {

    /**
     * Returns the provider under test.
     *
     * @return the provider
     */
    CryptoProvider provider();

    /** The parts of a sealed message a single-bit change can hit. */
    enum Part { KEM_CIPHERTEXT, IV, BODY, TAG }

    @Property(tries = 500)
    @Label("open(seal(m)) == m for messages up to 4 KiB")
    default void sealThenOpenRoundTrips(@ForAll @Size(max = 4096) byte[] message) {
        CryptoFixtures f = CryptoFixtures.of(provider());
        SealedMessage sealed = f.crypto().seal(f.alice().mlKemPublicKey(), message);
        assertThat(sealed.plaintextLength()).isEqualTo(message.length);
        assertThat(f.alice().open(sealed)).isEqualTo(message);
        assertThat(f.crypto().open(f.alice(), sealed)).isEqualTo(message);
    }

    @Property(tries = 40)
    @Label("open(seal(m)) == m for messages up to 96 KiB, through both wire forms")
    default void largeMessagesRoundTripThroughWireForms(@ForAll("upTo96KiB") byte[] message) {
        CryptoFixtures f = CryptoFixtures.of(provider());
        SealedMessage sealed = f.crypto().seal(f.bob().mlKemPublicKey(), message);
        assertThat(f.bob().open(SealedMessage.fromEncryptedObject(sealed.toEncryptedObject()))).isEqualTo(message);
        assertThat(f.bob().open(SealedMessage.fromL2psEncrypted(sealed.toL2psEncrypted()))).isEqualTo(message);
    }

    /**
     * Messages of any size up to 96 KiB, sizes spread evenly (jqwik's default favours small arrays).
     *
     * @return the arbitrary
     */
    @Provide
    default Arbitrary<byte[]> upTo96KiB() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(96 * 1024)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 200)
    @Label("both wire forms read back the same sealed message")
    default void wireFormsRoundTrip(@ForAll @Size(max = 512) byte[] message) {
        CryptoFixtures f = CryptoFixtures.of(provider());
        SealedMessage sealed = f.crypto().seal(f.alice().mlKemPublicKey(), message);
        assertThat(SealedMessage.fromEncryptedObject(sealed.toEncryptedObject())).isEqualTo(sealed);
        assertThat(SealedMessage.fromL2psEncrypted(sealed.toL2psEncrypted())).isEqualTo(sealed);
        assertThat(sealed.toL2psEncrypted().ephemeralKey()).isEqualTo(sealed.kemCiphertext().toHex());
    }

    @Property(tries = 50)
    @Label("every message gets a fresh encapsulation and IV")
    default void sealingTwiceDiffers(@ForAll @Size(max = 64) byte[] message) {
        CryptoFixtures f = CryptoFixtures.of(provider());
        SealedMessage first = f.crypto().seal(f.alice().mlKemPublicKey(), message);
        SealedMessage second = f.crypto().seal(f.alice().mlKemPublicKey(), message);
        assertThat(second.kemCiphertext()).isNotEqualTo(first.kemCiphertext());
        assertThat(second.iv()).isNotEqualTo(first.iv());
    }

    @Property(tries = 1000)
    @Label("flipping any single bit of any part makes open fail")
    default void anySingleBitFlipIsRejected(@ForAll @Size(max = 256) byte[] message, @ForAll Part part,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) {
        Assume.that(part != Part.BODY || message.length > 0);
        CryptoFixtures f = CryptoFixtures.of(provider());
        SealedMessage sealed = f.crypto().seal(f.alice().mlKemPublicKey(), message);
        byte[] kem = sealed.kemCiphertext().toByteArray();
        byte[] iv = sealed.iv().toByteArray();
        byte[] bodyAndTag = sealed.bodyAndTag().toByteArray();
        switch (part) {
            case KEM_CIPHERTEXT -> kem = flip(kem, position % (kem.length * 8));
            case IV -> iv = flip(iv, position % (iv.length * 8));
            case BODY -> bodyAndTag = flip(bodyAndTag, position % (message.length * 8));
            case TAG -> bodyAndTag = flip(bodyAndTag, message.length * 8 + position % (SealedMessage.TAG_BYTES * 8));
        }
        SealedMessage tampered = new SealedMessage(Bytes.of(kem), Bytes.of(iv), Bytes.of(bodyAndTag));

        CryptoException e = catchThrowableOfType(CryptoException.class, () -> f.alice().open(tampered));
        assertThat(e).as("tampered " + part + " must not open").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO_DECRYPT_FAILED);
    }

    @Property(tries = 100)
    @Label("a message sealed to one identity does not open for another")
    default void anotherRecipientCannotOpen(@ForAll @Size(max = 256) byte[] message) {
        CryptoFixtures f = CryptoFixtures.of(provider());
        SealedMessage sealed = f.crypto().seal(f.alice().mlKemPublicKey(), message);
        CryptoException e = catchThrowableOfType(CryptoException.class, () -> f.crypto().open(f.bob(), sealed));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO_DECRYPT_FAILED);
        assertThat(e.getMessage()).contains("another ML-KEM key").endsWith("[IM-CRYPTO-001]");
    }
}
