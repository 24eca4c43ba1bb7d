package io.github.demosim.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import net.jqwik.api.Example;

class Bip39WordlistTests {

    /** The bundled list is the standard BIP-39 English list, byte for byte (§B.8). */
    @Example
    void bundledWordlistIsTheStandardEnglishList() throws Exception {
        byte[] file;
        try (InputStream in = Bip39.class.getResourceAsStream(Bip39.WORDLIST_RESOURCE)) {
            assertThat(in).isNotNull();
            file = in.readAllBytes();
        }
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)))
                .isEqualTo("2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda");
        String[] words = new String(file, StandardCharsets.UTF_8).split("\n");
        assertThat(words).hasSize(2048).startsWith("abandon", "ability").endsWith("zone", "zoo");
    }

    /** mnemonicToSeedSync's shape check, which connectWallet reaches for every non-mnemonic. */
    @Example
    void seedRefusalFollowsScureBip39() {
        assertThat(Bip39.seedRefusal("a b c d e f g h i j k l")).isEmpty();
        assertThat(Bip39.seedRefusal("a b c d e f g h i j k")).hasValueSatisfying(r -> assertThat(r).contains("11"));
        assertThat(Bip39.seedRefusal("")).hasValueSatisfying(r -> assertThat(r).contains("has 1 "));
        assertThat(Bip39.seedRefusal("a b c d e f g h i j k\tl")).isPresent();
        assertThat(Bip39.seedRefusal("\ud800 b c d e f g h i j k l"))
                .hasValueSatisfying(r -> assertThat(r).contains("surrogate"));
    }
}
