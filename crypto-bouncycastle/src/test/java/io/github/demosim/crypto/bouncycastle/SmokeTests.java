package io.github.demosim.crypto.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.SealedMessage;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.Example;

class SmokeTests {
    @Example
    void aliceKat() throws Exception {
        byte[] seed = new byte[128];
        for (int i = 0; i < 128; i++) {
            seed[i] = (byte) i;
        }
        Identity alice = Identity.fromMasterSeed(seed, new BouncyCastleCryptoProvider());
        assertThat(alice.ed25519PublicKeyHex()).isEqualTo("d686d4f6c1f4c7af89c4516f79e821f2e49b9af088808cff6b2d9d6e7df279c7");
        DemosCrypto crypto = DemosCrypto.create(new BouncyCastleCryptoProvider());
        SealedMessage m = crypto.seal(alice.mlKemPublicKey(), "hi".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(crypto.open(alice, SealedMessage.fromL2psEncrypted(m.toL2psEncrypted())), StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(crypto.verifyLegacyRegistrationProof(crypto.legacyRegistrationProof(alice), alice.mlKemPublicKey())).isTrue();
        assertThat(HexFormat.of().formatHex(alice.signEd25519("hello".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("e1663f9c229d8889228cc0043994c122b86e29c10768023c718e3f3c73a82a7a9626449a8b113704d0ca94ee728f6d48dec85d213ade0fae37243514797c8d00");
        Identity mn = Identity.fromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", new BouncyCastleCryptoProvider());
        assertThat(mn.ed25519PublicKeyHex()).isEqualTo("263af3be8487729727d99b35dcfdc61bf920a9164249ad117b292e6d3c7194f8");
        assertThat(Bytes.of(mn.exportMasterSeed())).isEqualTo(Bytes.of("77c9f69156488defa99b21d8704b62b060804c1125fa088bf9495f358fe2242514f31bc4d960e74758b88eb2fd7eff4a84fc7c14df9819b55ec7663d654b48af".getBytes(StandardCharsets.US_ASCII)));
    }
}
