package io.github.demosim.crypto;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.internal.crypto.DefaultDemosCrypto;
import io.github.demosim.spi.CryptoProvider;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The Demos cryptographic constructions, byte-compatible with the TypeScript SDK 2.9.1
 * ({@code legacy-and-crypto.md} §B, {@code l2ps.md} §5.2, §5.6, §7.1): {@code ml-kem-aes} sealing,
 * signature checks, the L2PS register and history proofs, the legacy ML-DSA registration proof and the
 * node's message hash. They are written once, on the {@link io.github.demosim.spi.CryptoPrimitives} of a
 * {@link CryptoProvider}, so every provider gives byte-identical results.
 *
 * <p>Instances are immutable and thread-safe; make one per peer or server and reuse it. Null arguments cause
 * {@link NullPointerException} unless a method says otherwise. Every cryptographic failure is an
 * {@link io.github.demosim.CryptoException}.
 *
 * <pre>{@code
 * DemosCrypto crypto = DemosCrypto.load();
 * Identity bob = Identity.fromMnemonic(bobsMnemonic);
 * SealedMessage sealed = crypto.seal(bob.mlKemPublicKey(), "hello".getBytes(StandardCharsets.UTF_8));
 * Encrypted onTheWire = sealed.toL2psEncrypted();
 * byte[] plaintext = crypto.open(bob, SealedMessage.fromL2psEncrypted(onTheWire));
 * }</pre>
 *
 * @since 0.1.0
 */
public interface DemosCrypto {

    /**
     * Creates the constructions on the given provider, with fresh system randomness.
     *
     * @param provider the crypto provider
     * @return the constructions
     */
    static DemosCrypto create(CryptoProvider provider) {
        Objects.requireNonNull(provider, "provider");
        return new DefaultDemosCrypto(provider, provider.create());
    }

    /**
     * Creates the constructions drawing every random byte (encapsulation, IVs) from {@code random}. Use
     * anything but a system-seeded {@link SecureRandom} only in known-answer tests.
     *
     * @param provider the crypto provider
     * @param random the source of randomness
     * @return the constructions
     */
    static DemosCrypto create(CryptoProvider provider, SecureRandom random) {
        Objects.requireNonNull(provider, "provider");
        return new DefaultDemosCrypto(provider, provider.create(Objects.requireNonNull(random, "random")));
    }

    /**
     * Creates the constructions on the provider {@link CryptoProvider#find()} selects.
     *
     * @return the constructions
     * @throws io.github.demosim.ProviderNotFoundException if no crypto provider is present
     * @throws io.github.demosim.AmbiguousProviderException if several are present and none is chosen
     */
    static DemosCrypto load() {
        return create(CryptoProvider.find());
    }

    /**
     * Returns the provider the primitives come from.
     *
     * @return the provider
     */
    CryptoProvider provider();

    /**
     * Seals a message to a recipient with {@code ml-kem-aes}: a fresh ML-KEM-768 encapsulation and a fresh
     * 12-byte IV per message, the raw shared secret as the AES-256-GCM key, no associated data. The result
     * names neither sender nor recipient and is not signed (§C.1 #11).
     *
     * @param recipientMlKemPublicKey the recipient's 1184-byte ML-KEM-768 public key
     * @param plaintext the plaintext (the SDK sends UTF-8 text)
     * @return the sealed message
     * @throws io.github.demosim.CryptoException with {@code CRYPTO_INVALID_INPUT} if the key has the wrong
     *     length or is not a valid ML-KEM-768 key
     */
    SealedMessage seal(Bytes recipientMlKemPublicKey, byte[] plaintext);

    /**
     * Opens a message sealed to {@code recipient}. Decapsulation uses the recipient identity's own primitives.
     *
     * @param recipient the identity the message was sealed to
     * @param message the message
     * @return the plaintext
     * @throws io.github.demosim.CryptoException with {@code CRYPTO_DECRYPT_FAILED} if the message was sealed
     *     to someone else or was altered
     */
    byte[] open(Identity recipient, SealedMessage message);

    /**
     * Verifies a pure Ed25519 (RFC 8032) signature over exactly {@code message}.
     *
     * @param publicKey the 32-byte public key
     * @param message the message
     * @param signature the signature; one of the wrong length verifies {@code false}
     * @return whether the signature is valid
     * @throws io.github.demosim.CryptoException with {@code CRYPTO_INVALID_INPUT} if the key is not 32 bytes
     */
    boolean verifyEd25519(Bytes publicKey, byte[] message, Bytes signature);

    /**
     * Verifies a pure ML-DSA-65 signature with an empty context.
     *
     * @param publicKey the 1952-byte public key
     * @param message the message
     * @param signature the signature; one of the wrong length verifies {@code false}
     * @return whether the signature is valid
     * @throws io.github.demosim.CryptoException with {@code CRYPTO_INVALID_INPUT} if the key is not 1952 bytes
     */
    boolean verifyMlDsa(Bytes publicKey, byte[] message, Bytes signature);

    /**
     * Returns the L2PS register proof string {@code register:<publicKey>:<timestamp>} ({@code l2ps.md} §5.2).
     * The key is used exactly as given (the server compares case-sensitively).
     *
     * @param publicKeyHex the Ed25519 public key in hex, as sent in the {@code register} frame
     * @param timestamp the frame's integer millisecond timestamp
     * @return the proof string
     */
    static String registerProofMessage(String publicKeyHex, long timestamp) {
        return "register:" + Objects.requireNonNull(publicKeyHex, "publicKeyHex") + ":" + timestamp;
    }

    /**
     * Returns the server-bound L2PS register proof string
     * {@code register-bound:<publicKey>:<l2psUid>:<timestamp>:<nonce>} (extension {@code server_challenge} of this
     * project's server: the nonce is the one its {@code challenge_response} issued for the connection, so the proof
     * registers nothing at any other server or connection).
     *
     * @param publicKeyHex the registering key, as sent in the frame
     * @param l2psUid the network, as sent in the frame
     * @param timestamp the frame's integer millisecond timestamp
     * @param nonce the server's nonce
     * @return the string to sign
     */
    static String boundRegisterProofMessage(String publicKeyHex, String l2psUid, long timestamp, String nonce) {
        Objects.requireNonNull(publicKeyHex, "publicKeyHex");
        Objects.requireNonNull(l2psUid, "l2psUid");
        Objects.requireNonNull(nonce, "nonce");
        return "register-bound:" + publicKeyHex + ":" + l2psUid + ":" + timestamp + ":" + nonce;
    }

    /**
     * Returns the L2PS history proof string {@code history:<peerKey>:<timestamp>} ({@code l2ps.md} §7.1).
     *
     * @param peerKey the peer whose conversation is requested, as sent in the frame
     * @param timestamp the frame's integer millisecond timestamp
     * @return the proof string
     */
    static String historyProofMessage(String peerKey, long timestamp) {
        return "history:" + Objects.requireNonNull(peerKey, "peerKey") + ":" + timestamp;
    }

    /**
     * Signs the register proof of {@code identity}: lowercase hex of the Ed25519 signature over the UTF-8 of
     * {@link #registerProofMessage(String, long) register:&lt;its public key hex&gt;:&lt;timestamp&gt;}.
     *
     * @param identity the registering identity
     * @param timestamp the {@code timestamp} of the {@code register} frame that carries the proof
     * @return 128 lowercase hex digits
     */
    String signL2psRegisterProof(Identity identity, long timestamp);

    /**
     * Signs a history proof: lowercase hex of the Ed25519 signature over the UTF-8 of
     * {@link #historyProofMessage(String, long) history:&lt;peerKey&gt;:&lt;timestamp&gt;}.
     *
     * @param identity the registered identity asking for history
     * @param peerKey the other party of the conversation
     * @param timestamp the {@code timestamp} of the {@code history} frame that carries the proof
     * @return 128 lowercase hex digits
     */
    String signL2psHistoryProof(Identity identity, String peerKey, long timestamp);

    /**
     * Verifies an L2PS proof as the server must: Ed25519 over the UTF-8 of {@code proofMessage}. Hex is read
     * strictly (either case); the reference's lenient decoding of odd lengths and non-hex pairs
     * ({@code l2ps.md} §5.2) is not reproduced.
     *
     * @param publicKeyHex the 64-hex-digit Ed25519 public key
     * @param proofMessage the proof string the server rebuilt from the frame
     * @param signatureHex the 128-hex-digit signature
     * @return whether the proof is valid; {@code false}, never an exception, for {@code null}, malformed hex
     *     or wrong lengths
     */
    boolean verifyL2psProof(String publicKeyHex, String proofMessage, String signatureHex);

    /**
     * Makes the legacy registration proof of {@code identity} ({@code legacy-and-crypto.md} §A.5): a
     * deterministic ML-DSA-65 signature over its raw ML-KEM-768 public key, serialized as the SDK's
     * SerializedSignedObject with algorithm {@code ml-dsa} and standard base64 fields.
     *
     * @param identity the registering identity
     * @return the {@code verification} object of the legacy {@code register} frame
     */
    SignedObject legacyRegistrationProof(Identity identity);

    /**
     * Verifies a legacy registration proof. The algorithm must be {@code ml-dsa}. With
     * {@code expectedMlKemPublicKey} {@code null} this is the reference server's check (any valid signature,
     * whatever it signs, §C.1 #1); otherwise the signed message must also equal that key, which binds the
     * proof to the key being registered.
     *
     * @param proof the {@code verification} object
     * @param expectedMlKemPublicKey the key being registered, or {@code null} for the reference behaviour
     * @return whether the proof is valid; {@code false}, never an exception, for garbage input
     */
    boolean verifyLegacyRegistrationProof(SignedObject proof, Bytes expectedMlKemPublicKey);

    /**
     * Signs an envelope draft as {@code docs/envelopes.md} §3 says: on L2PS with the identity's Ed25519 key, which
     * must be the draft's {@code from}; on legacy with its ML-DSA-65 key (pure, empty context, deterministic), whose
     * public key becomes the envelope's {@code signingKey}.
     *
     * @param identity the sender
     * @param draft the envelope to sign; any signature it has is replaced
     * @return the signed envelope
     * @throws IllegalArgumentException if an L2PS draft's {@code from} is not the identity's Ed25519 key
     */
    MessageEnvelope signEnvelope(Identity identity, MessageEnvelope draft);

    /**
     * Verifies an envelope's signature over its {@link MessageEnvelope#signingInput() signing input}: Ed25519 under
     * {@code from} (L2PS), ML-DSA-65 under {@code signingKey} (legacy). Only the signature: who may sign for whom,
     * and for which recipient, are the receiving peer's checks ({@code docs/envelopes.md} §5).
     *
     * @param envelope the envelope
     * @return whether it is signed and the signature is valid
     */
    boolean verifyEnvelopeSignature(MessageEnvelope envelope);

    /**
     * The node's {@code computeMessageHash} ({@code l2ps.md} §5.6): lowercase hex SHA-256 of
     * {@code JSON.stringify({from, to, content, timestamp})} with exactly that key order and JSON string
     * escaping, as UTF-8.
     *
     * <p><b>API note:</b> For ASCII text this equals the TypeScript helper. For non-ASCII text it does not: node-forge
     * hashes JavaScript strings one byte per UTF-16 unit, which is not SHA-256 over any standard encoding.
     * The server never recomputes the hash (it is an opaque de-duplication key), so this does not affect
     * interoperability.
     *
     * @param from the sender's public key
     * @param to the recipient's public key
     * @param content the plaintext
     * @param timestamp the millisecond timestamp
     * @return 64 lowercase hex digits
     */
    String messageHash(String from, String to, String content, long timestamp);
}
