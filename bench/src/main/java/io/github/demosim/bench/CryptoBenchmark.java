package io.github.demosim.bench;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.CryptoProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Demos constructions on the crypto provider named by the {@code provider} parameter ({@code bouncycastle}
 * by default; {@code -p provider=bouncycastle,jdk} on JDK 25 with {@code demos-im-crypto-jdk} on the class path
 * measures both in one run): {@code ml-kem-aes} seal and open by payload size, the bare ML-KEM-768
 * encapsulation and decapsulation under them, ML-DSA-65 and Ed25519 sign and verify as the registration proofs
 * use them, and identity derivation. Average time per operation, in microseconds.
 *
 * <p>The inputs are {@link BenchInputs}, the same bytes {@code bench/ts/crypto-bench.mjs} gives the TypeScript
 * SDK, so that {@code bench/compare-ts.sh} can divide one rate by the other.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 2)
public class CryptoBenchmark {
    private static final String MNEMONIC =
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    /** The crypto provider's name. */
    @Param({"bouncycastle"})
    public String provider;

    private CryptoProvider cryptoProvider;
    private CryptoPrimitives primitives;
    private DemosCrypto crypto;
    private Identity alice;
    private byte[] masterSeed;
    private byte[] registeredKey;
    private byte[] mlDsaSignature;
    private byte[] proofMessage;
    private byte[] ed25519Signature;
    private String proofSignatureHex;
    private byte[] mlKemSecretKey;
    private byte[] kemCiphertext;

    /** The plaintext of seal and open, by size. */
    @State(Scope.Benchmark)
    public static class Payload {
        /** Plaintext size in bytes: a chat line, a long text, the largest SDK-sendable order of size. */
        @Param({"100", "4096", "65536"})
        public int size;

        byte[] plaintext;
        SealedMessage sealed;

        /**
         * Makes the plaintext and one sealed message to open.
         *
         * @param bench the benchmark state
         */
        @Setup(Level.Trial)
        public void setUp(CryptoBenchmark bench) {
            plaintext = BenchInputs.plaintext(size);
            sealed = bench.crypto.seal(bench.alice.mlKemPublicKey(), plaintext);
        }
    }

    /** Derives the identity and the signatures the verify benchmarks check. */
    @Setup(Level.Trial)
    public void setUp() {
        cryptoProvider = CryptoProvider.find(provider);
        primitives = cryptoProvider.create();
        crypto = DemosCrypto.create(cryptoProvider);
        masterSeed = BenchInputs.masterSeed();
        alice = Identity.fromMasterSeed(masterSeed, cryptoProvider);
        registeredKey = alice.mlKemPublicKey().toByteArray();
        mlDsaSignature = alice.signMlDsa(registeredKey);
        proofMessage = BenchInputs.registerProofMessage(alice);
        ed25519Signature = alice.signEd25519(proofMessage);
        proofSignatureHex = crypto.signL2psRegisterProof(alice, BenchInputs.PROOF_TIMESTAMP);
        mlKemSecretKey = primitives.mlKem768KeyPair(alice.derivedSeed("ml-kem-aes")).secretKey();
        kemCiphertext = primitives.mlKem768Encapsulate(registeredKey).ciphertext();
    }

    /**
     * Seals a message: one ML-KEM-768 encapsulation, a fresh IV, AES-256-GCM.
     *
     * @param payload the plaintext
     * @return the sealed message
     */
    @Benchmark
    public SealedMessage seal(Payload payload) {
        return crypto.seal(alice.mlKemPublicKey(), payload.plaintext);
    }

    /**
     * Opens a message: one ML-KEM-768 decapsulation, AES-256-GCM with tag check.
     *
     * @param payload the sealed message
     * @return the plaintext
     */
    @Benchmark
    public byte[] open(Payload payload) {
        return alice.open(payload.sealed);
    }

    /**
     * The KEM under a seal: one ML-KEM-768 encapsulation to the recipient's 1184-byte public key.
     *
     * @return the ciphertext and shared secret
     */
    @Benchmark
    public CryptoPrimitives.Encapsulation mlKem768Encapsulate() {
        return primitives.mlKem768Encapsulate(registeredKey);
    }

    /**
     * The KEM under an open: one ML-KEM-768 decapsulation with the 2400-byte secret key (implicit rejection
     * re-encrypts to check the ciphertext).
     *
     * @return the shared secret
     */
    @Benchmark
    public byte[] mlKem768Decapsulate() {
        return primitives.mlKem768Decapsulate(mlKemSecretKey, kemCiphertext);
    }

    /**
     * The legacy registration proof: deterministic ML-DSA-65 over the 1184-byte ML-KEM public key.
     *
     * @return the signature
     */
    @Benchmark
    public byte[] mlDsa65Sign() {
        return alice.signMlDsa(registeredKey);
    }

    /**
     * The legacy server's proof check.
     *
     * @return whether it verifies
     */
    @Benchmark
    public boolean mlDsa65Verify() {
        return crypto.verifyMlDsa(alice.mlDsaPublicKey(), registeredKey, Bytes.of(mlDsaSignature));
    }

    /**
     * An L2PS register proof signature over its 89-byte proof string.
     *
     * @return the signature
     */
    @Benchmark
    public byte[] ed25519Sign() {
        return alice.signEd25519(proofMessage);
    }

    /**
     * Ed25519 verification of that proof.
     *
     * @return whether it verifies
     */
    @Benchmark
    public boolean ed25519Verify() {
        return crypto.verifyEd25519(alice.ed25519PublicKey(), proofMessage, Bytes.of(ed25519Signature));
    }

    /**
     * The L2PS server's whole proof check from hex text.
     *
     * @return whether it verifies
     */
    @Benchmark
    public boolean l2psProofVerifyFromHex() {
        String proof = DemosCrypto.registerProofMessage(alice.ed25519PublicKeyHex(), BenchInputs.PROOF_TIMESTAMP);
        return crypto.verifyL2psProof(alice.ed25519PublicKeyHex(), proof, proofSignatureHex);
    }

    /**
     * Identity derivation from a master seed: three HKDF seeds, Ed25519, ML-DSA-65 and ML-KEM-768 key generation.
     *
     * @return the identity
     */
    @Benchmark
    public Identity identityFromMasterSeed() {
        return Identity.fromMasterSeed(masterSeed, cryptoProvider);
    }

    /**
     * Identity derivation from a mnemonic: BIP-39 check and SHA3-512, then as from a master seed.
     *
     * @return the identity
     */
    @Benchmark
    public Identity identityFromMnemonic() {
        return Identity.fromMnemonic(MNEMONIC, cryptoProvider);
    }
}
