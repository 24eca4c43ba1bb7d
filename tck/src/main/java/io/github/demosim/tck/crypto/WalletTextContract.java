package io.github.demosim.tck.crypto;

import static io.github.demosim.tck.crypto.Vectors.elements;
import static io.github.demosim.tck.crypto.Vectors.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import io.github.demosim.Identity;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.spi.CryptoProvider;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Example;
import net.jqwik.api.Label;

/**
 * Identities from wallet text match {@code Demos.connectWallet(string)} of the TypeScript SDK 2.9.1
 * ({@code legacy-and-crypto.md} §B.8, §C.1 #18): the bundled {@code connect-wallet-vectors.json} was made with
 * the SDK's own libraries and covers trimming, mnemonics, the 128-character PBKDF2 case, NFKD and the inputs
 * on which the SDK throws.
 */
public interface WalletTextContract {

    /**
     * Returns the provider under test.
     *
     * @return the provider
     */
    CryptoProvider provider();

    @Example
    @Label("connectWallet vectors: fromSecretText gives the SDK's master seed, or refuses what the SDK refuses")
    default void secretTextMatchesConnectWallet() {
        for (JsonValue c : elements(Vectors.connectWallet(), "cases")) {
            String label = text(c, "label");
            String input = text(c, "input");
            if (c.get("masterSeedAscii").isPresent()) {
                Identity identity = Identity.fromSecretText(input, provider());
                assertThat(new String(identity.exportMasterSeed(), StandardCharsets.US_ASCII)).as(label)
                        .isEqualTo(text(c, "masterSeedAscii"));
                assertThat(identity.ed25519PublicKey()).as(label).isEqualTo(Identity.fromMasterSeed(
                        text(c, "masterSeedAscii").getBytes(StandardCharsets.US_ASCII), provider()).ed25519PublicKey());
            } else {
                assertThatThrownBy(() -> Identity.fromSecretText(input, provider())).as(label)
                        .isInstanceOfSatisfying(CryptoException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO_INVALID_INPUT));
            }
        }
    }

    @Example
    @Label("connectWallet vectors: fromMnemonic accepts exactly the valid mnemonics")
    default void mnemonicAcceptsOnlyValidMnemonics() {
        for (JsonValue c : elements(Vectors.connectWallet(), "cases")) {
            String label = text(c, "label");
            String input = text(c, "input");
            if (c.get("validMnemonic").orElseThrow().equals(JsonValue.JsonBoolean.TRUE)) {
                assertThat(new String(Identity.fromMnemonic(input, provider()).exportMasterSeed(), StandardCharsets.US_ASCII))
                        .as(label).isEqualTo(text(c, "masterSeedAscii"));
            } else {
                assertThatThrownBy(() -> Identity.fromMnemonic(input, provider())).as(label)
                        .isInstanceOfSatisfying(CryptoException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO_INVALID_INPUT);
                            assertThat(e.getMessage()).startsWith("Not a valid BIP-39 English mnemonic: ");
                        });
            }
        }
    }

    @Example
    @Label("an invalid mnemonic is rejected with the reason")
    default void invalidMnemonicReasons() {
        String twelve = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon ";
        assertReason(twelve + "abandon", "checksum");
        assertReason(twelve + "abandonn", "word 12 ('abandonn') is not in the BIP-39 English wordlist");
        assertReason(twelve + "About", "word 12 ('About')");
        assertReason("abandon about", "has 2 space-separated words");
        assertReason(twelve.replaceFirst(" ", "  ") + "about", "has 13");
    }

    @Example
    @Label("generated identities are fresh, 128-byte, and restorable from their master seed")
    default void generatedIdentities() {
        Identity first = Identity.generate(provider());
        Identity second = Identity.generate(provider());
        assertThat(first.exportMasterSeed()).hasSize(128);
        assertThat(first.ed25519PublicKey()).isNotEqualTo(second.ed25519PublicKey());
        Identity restored = Identity.fromMasterSeed(first.exportMasterSeed(), provider());
        assertThat(restored.ed25519PublicKey()).isEqualTo(first.ed25519PublicKey());
        assertThat(restored.mlDsaPublicKey()).isEqualTo(first.mlDsaPublicKey());
        assertThat(restored.mlKemPublicKey()).isEqualTo(first.mlKemPublicKey());
        assertThat(first.toString()).contains(first.ed25519PublicKeyHex())
                .doesNotContain(new String(first.exportMasterSeed(), StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Identity.fromMasterSeed(new byte[0], provider()))
                .isInstanceOf(CryptoException.class).hasMessageContaining("empty");
    }

    private void assertReason(String mnemonic, String reason) {
        assertThatThrownBy(() -> Identity.fromMnemonic(mnemonic, provider())).as(mnemonic)
                .isInstanceOfSatisfying(CryptoException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO_INVALID_INPUT);
                    assertThat(e.getMessage()).contains(reason);
                });
    }
}
