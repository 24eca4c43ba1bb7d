package io.github.demosim.bench;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Ack;
import io.github.demosim.frame.l2ps.Discover;
import io.github.demosim.frame.l2ps.DiscoverResponse;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.ErrorFrame;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.HistoryResponse;
import io.github.demosim.frame.l2ps.L2psClientFrame;
import io.github.demosim.frame.l2ps.L2psServerFrame;
import io.github.demosim.frame.l2ps.Message;
import io.github.demosim.frame.l2ps.MessageQueued;
import io.github.demosim.frame.l2ps.MessageSent;
import io.github.demosim.frame.l2ps.MessageStatus;
import io.github.demosim.frame.l2ps.PeerJoined;
import io.github.demosim.frame.l2ps.PeerLeft;
import io.github.demosim.frame.l2ps.PublicKeyResponse;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.frame.l2ps.Registered;
import io.github.demosim.frame.l2ps.RequestPublicKey;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.frame.legacy.DebugQuestion;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.PeerDisconnected;
import io.github.demosim.frame.legacy.PeerResponse;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.frame.legacy.ServerQuestion;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.FrameCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One frame of every type of both protocols, filled as a real session fills it: real keys, real proofs, real
 * ML-KEM-768 + AES-256-GCM payloads of a 100-byte chat line, 16 online peers, a history page of 20 messages.
 * The wire size of a frame drives the codec's cost, so toy values (the spec's {@code "SGVsbG8gQm9iIQ=="}) would
 * flatter it.
 *
 * <p>{@link #main} prints each frame's name and its encoded length as JSON, for the report.
 */
public final class RealisticFrames {
    /** A frame and the family it is decoded as. */
    public record Sample(Frame frame, Class<? extends Frame> family) {
    }

    private static final String UID = "testnet_l2ps_001";
    private static final long NOW = 1_764_000_000_000L;
    private static final List<String> FEATURES = List.of("ack", "message_status", "key_directory");

    private RealisticFrames() {
    }

    /**
     * Every frame, by name ({@code <protocol>-<direction>/<wire type>}).
     *
     * @return name to sample, in a stable order
     */
    public static Map<String, Sample> all() {
        CryptoProvider provider = CryptoProvider.find();
        DemosCrypto crypto = DemosCrypto.create(provider);
        Identity alice = BenchInputs.identity(provider);
        byte[] bobSeed = BenchInputs.masterSeed();
        bobSeed[0] = 1;
        Identity bob = Identity.fromMasterSeed(bobSeed, provider);
        String a = alice.ed25519PublicKeyHex();
        String b = bob.ed25519PublicKeyHex();
        String requestId = "req_" + NOW + "_0011223344";
        SealedMessage sealed = crypto.seal(bob.mlKemPublicKey(),
                BenchInputs.chatLine("hello bob ", 100).getBytes(StandardCharsets.UTF_8));
        Encrypted encrypted = sealed.toL2psEncrypted();
        String hash = sha256Hex(a + "\n" + b + "\n" + encrypted.ciphertext());
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            peers.add(sha256Hex("peer " + i));
        }
        List<StoredMessage> page = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            page.add(new StoredMessage(UUID.nameUUIDFromBytes(new byte[] {(byte) i}).toString(),
                    i % 2 == 0 ? a : b, i % 2 == 0 ? b : a, sha256Hex("message " + i), encrypted, UID,
                    sha256Hex("tx " + i), NOW - i * 1000L, io.github.demosim.L2psStatus.L2PS_CONFIRMED));
        }

        Map<String, Sample> frames = new LinkedHashMap<>();
        // L2PS, client to server
        l2psClient(frames, new Register(a, UID, crypto.signL2psRegisterProof(alice, NOW),
                alice.mlKemPublicKey().toBase64(), FEATURES, NOW, requestId));
        l2psClient(frames, new Send(b, encrypted, hash, NOW, requestId));
        l2psClient(frames, new History(b, crypto.signL2psHistoryProof(alice, b, NOW), null, 50, NOW, requestId));
        l2psClient(frames, new Discover(NOW, requestId));
        l2psClient(frames, new RequestPublicKey(b, NOW, requestId));
        l2psClient(frames, new Ack(hash, NOW, null));
        // L2PS, server to client
        l2psServer(frames, new Registered(true, a, UID, peers, FEATURES, NOW, requestId));
        l2psServer(frames, new Message(a, encrypted, hash, false, NOW, NOW, null));
        l2psServer(frames, new MessageSent(hash, "submitted", NOW, requestId));
        l2psServer(frames, new MessageQueued(hash, "queued", NOW, requestId));
        l2psServer(frames, new MessageStatus(hash, "confirmed", sha256Hex("tx"), NOW, null));
        l2psServer(frames, new HistoryResponse(page, true, NOW, requestId));
        l2psServer(frames, new DiscoverResponse(peers, NOW, requestId));
        l2psServer(frames, new PublicKeyResponse(b, b, bob.mlKemPublicKey().toBase64(), NOW, requestId));
        l2psServer(frames, new PeerJoined(b, NOW, null));
        l2psServer(frames, new PeerLeft(b, NOW, null));
        l2psServer(frames, new ErrorFrame("INVALID_PROOF", "Signature verification failed", NOW, requestId));
        // legacy, client to server
        legacyClient(frames, new io.github.demosim.frame.legacy.Register("alice", alice.mlKemPublicKey(),
                crypto.legacyRegistrationProof(alice)));
        legacyClient(frames, new io.github.demosim.frame.legacy.Discover());
        legacyClient(frames, new io.github.demosim.frame.legacy.RequestPublicKey("bob"));
        legacyClient(frames, new SendMessage("bob", sealed.toEncryptedObject().toJson()));
        legacyClient(frames, new PeerResponse(UUID.nameUUIDFromBytes(new byte[] {1}).toString(),
                new JsonValue.JsonObject(Map.of("answer", JsonValue.of("TypeScript")))));
        legacyClient(frames, new DebugQuestion(JsonValue.JsonObject.empty()));
        // legacy, server to client
        legacyServer(frames, new RegisterAck(true, "alice"));
        legacyServer(frames, new io.github.demosim.frame.legacy.DiscoverResponse(List.of("alice", "bob", "carol")));
        legacyServer(frames, new io.github.demosim.frame.legacy.PublicKeyResponse("bob",
                byteArray(bob.mlKemPublicKey())));
        legacyServer(frames, new IncomingMessage(sealed.toEncryptedObject().toJson(), "alice", NOW));
        legacyServer(frames, new io.github.demosim.frame.legacy.MessageQueued("bob", "offline",
                "Message stored for offline delivery"));
        legacyServer(frames, new PeerDisconnected("bob"));
        legacyServer(frames, new ServerQuestion(UUID.nameUUIDFromBytes(new byte[] {2}).toString(),
                new JsonValue.JsonObject(Map.of("text", JsonValue.of("What is your favorite programming language?")))));
        legacyServer(frames, new io.github.demosim.frame.legacy.ErrorFrame("PEER_NOT_FOUND",
                "Target peer bob not found", "2026-07-10T09:15:41.123Z"));
        return frames;
    }

    private static void l2psClient(Map<String, Sample> frames, Frame f) {
        frames.put("l2ps-client/" + f.type(), new Sample(f, L2psClientFrame.class));
    }

    private static void l2psServer(Map<String, Sample> frames, Frame f) {
        frames.put("l2ps-server/" + f.type(), new Sample(f, L2psServerFrame.class));
    }

    private static void legacyClient(Map<String, Sample> frames, Frame f) {
        frames.put("legacy-client/" + f.type(), new Sample(f, LegacyClientFrame.class));
    }

    private static void legacyServer(Map<String, Sample> frames, Frame f) {
        frames.put("legacy-server/" + f.type(), new Sample(f, LegacyServerFrame.class));
    }

    /** A key as the legacy server relays it: {@code Array.from(Uint8Array)}, a JSON array of numbers. */
    private static JsonValue byteArray(Bytes bytes) {
        List<JsonValue> numbers = new ArrayList<>(bytes.length());
        for (int i = 0; i < bytes.length(); i++) {
            numbers.add(JsonValue.of(bytes.get(i) & 0xff));
        }
        return new JsonValue.JsonArray(numbers);
    }

    private static String sha256Hex(String text) {
        try {
            return Bytes.of(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))).toHex();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Prints {@code {"<name>": <encoded length in characters>, ...}}.
     *
     * @param args none
     */
    public static void main(String[] args) {
        FrameCodec codec = CodecProvider.find().create();
        StringBuilder json = new StringBuilder("{");
        all().forEach((name, sample) -> json.append(json.length() > 1 ? "," : "").append('"').append(name)
                .append("\":").append(codec.encode(sample.frame()).length()));
        System.out.println(json.append('}'));
    }
}
