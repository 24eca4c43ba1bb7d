package io.github.demosim.tck.crypto;

import static io.github.demosim.tck.crypto.Support.flip;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.spi.CryptoProvider;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the signatures: what an identity signs verifies under its key, and fails after a single-bit
 * change of the message, the key or the signature. ML-DSA-65 signing takes about a millisecond, so its
 * properties run fewer tries than Ed25519's.
 */
public interface SignatureContract {

    /**
     * Returns the provider under test.
     *
     * @return the provider
     */
    CryptoProvider provider();

    /** What a single-bit change hits. */
    enum Target { MESSAGE, PUBLIC_KEY, SIGNATURE }

    @Property(tries = 500)
    @Label("Ed25519: signatures verify, and any flipped bit of message, key or signature fails")
    default void ed25519SignaturesVerifyAndResistBitFlips(@ForAll @Size(max = 1024) byte[] message,
            @ForAll Target target, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) {
        CryptoFixtures f = CryptoFixtures.of(provider());
        byte[] signature = f.alice().signEd25519(message);
        assertThat(signature).hasSize(64);
        assertThat(f.crypto().verifyEd25519(f.alice().ed25519PublicKey(), message, Bytes.of(signature))).isTrue();
        assertFlipFails(f.crypto(), false, f.alice(), message, signature, target, position);
    }

    @Property(tries = 60)
    @Label("ML-DSA-65: deterministic signatures verify, and any flipped bit of message, key or signature fails")
    default void mlDsaSignaturesVerifyAndResistBitFlips(@ForAll @Size(max = 512) byte[] message,
            @ForAll Target target, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) {
        CryptoFixtures f = CryptoFixtures.of(provider());
        byte[] signature = f.bob().signMlDsa(message);
        assertThat(signature).hasSize(3309).isEqualTo(f.bob().signMlDsa(message));
        assertThat(f.crypto().verifyMlDsa(f.bob().mlDsaPublicKey(), message, Bytes.of(signature))).isTrue();
        assertFlipFails(f.crypto(), true, f.bob(), message, signature, target, position);
    }

    @Property(tries = 200)
    @Label("L2PS proofs verify, and not for another timestamp, peer or key")
    default void l2psProofsAreBound(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int timestamp,
            @ForAll @Size(max = 80) String peerKey) {
        CryptoFixtures f = CryptoFixtures.of(provider());
        Identity alice = f.alice();
        String register = f.crypto().signL2psRegisterProof(alice, timestamp);
        assertThat(register).hasSize(128).matches("[0-9a-f]+");
        assertThat(f.crypto().verifyL2psProof(alice.ed25519PublicKeyHex(),
                DemosCrypto.registerProofMessage(alice.ed25519PublicKeyHex(), timestamp), register)).isTrue();
        assertThat(f.crypto().verifyL2psProof(alice.ed25519PublicKeyHex(),
                DemosCrypto.registerProofMessage(alice.ed25519PublicKeyHex(), timestamp + 1L), register)).isFalse();
        assertThat(f.crypto().verifyL2psProof(f.bob().ed25519PublicKeyHex(),
                DemosCrypto.registerProofMessage(alice.ed25519PublicKeyHex(), timestamp), register)).isFalse();

        String history = f.crypto().signL2psHistoryProof(alice, peerKey, timestamp);
        assertThat(f.crypto().verifyL2psProof(alice.ed25519PublicKeyHex(),
                DemosCrypto.historyProofMessage(peerKey, timestamp), history)).isTrue();
        assertThat(f.crypto().verifyL2psProof(alice.ed25519PublicKeyHex(),
                DemosCrypto.historyProofMessage(peerKey + "x", timestamp), history)).isFalse();
    }

    private static void assertFlipFails(DemosCrypto crypto, boolean mlDsa, Identity signer, byte[] message,
            byte[] signature, Target target, int position) {
        byte[] publicKey = (mlDsa ? signer.mlDsaPublicKey() : signer.ed25519PublicKey()).toByteArray();
        byte[] m = message;
        byte[] pk = publicKey;
        byte[] sig = signature;
        switch (target) {
            case MESSAGE -> {
                if (message.length == 0) {
                    m = new byte[] {0}; // the empty message has no bit to flip: change its length instead
                } else {
                    m = flip(message, position % (message.length * 8));
                }
            }
            case PUBLIC_KEY -> pk = flip(publicKey, position % (publicKey.length * 8));
            case SIGNATURE -> sig = flip(signature, position % (signature.length * 8));
        }
        boolean valid = mlDsa ? crypto.verifyMlDsa(Bytes.of(pk), m, Bytes.of(sig))
                : crypto.verifyEd25519(Bytes.of(pk), m, Bytes.of(sig));
        assertThat(valid).as("signature still verifies after a change of the " + target).isFalse();
    }
}
