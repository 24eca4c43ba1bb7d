package io.github.demosim.internal.l2ps;

import io.github.demosim.Identity;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.TrustStore;
import io.github.demosim.internal.peer.MessageCryptoRef;
import io.github.demosim.internal.peer.PeerSettings;
import io.github.demosim.internal.peer.PeerThreads;
import io.github.demosim.internal.peer.Signer;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.TransportProvider;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The {@link L2psMessagingPeer.Builder} implementation. */
public final class L2psPeerBuilder implements L2psMessagingPeer.Builder {
    private static final Pattern ED25519_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final PeerSettings settings = new PeerSettings(L2psMessagingPeer.DEFAULT_PORT);
    private Identity identity;
    private Signer signer;
    private String l2psUid;
    private Duration sendTimeout = Duration.ofSeconds(15);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Set<String> features = Set.of(L2psMessagingPeer.FEATURE_ACK, L2psMessagingPeer.FEATURE_MESSAGE_STATUS,
            L2psMessagingPeer.FEATURE_KEY_DIRECTORY, L2psMessagingPeer.FEATURE_ENVELOPE,
            L2psMessagingPeer.FEATURE_SERVER_CHALLENGE);
    private TrustStore trustStore;

    /** Use {@link L2psMessagingPeer#newBuilder()}. */
    public L2psPeerBuilder() {
    }

    @Override
    public L2psMessagingPeer.Builder serverUri(URI uri) {
        settings.uri(uri);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder serverUri(String uri) {
        settings.uri(uri);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder serverUris(java.util.List<URI> uris) {
        settings.uris(uris);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder serverUris(String... uris) {
        Objects.requireNonNull(uris, "uris");
        settings.uriTexts(java.util.Arrays.asList(uris));
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder identity(Identity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.signer = null;
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder signer(String publicKeyHex, Function<String, String> signHex) {
        Objects.requireNonNull(publicKeyHex, "publicKeyHex");
        Objects.requireNonNull(signHex, "signHex");
        if (!ED25519_HEX.matcher(publicKeyHex).matches()) {
            throw new IllegalArgumentException("publicKeyHex must be the 32-byte Ed25519 key as 64 hex characters, "
                    + "got '" + publicKeyHex + "'");
        }
        this.signer = new Signer(publicKeyHex, signHex);
        this.identity = null;
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder l2psUid(String l2psUid) {
        Objects.requireNonNull(l2psUid, "l2psUid");
        if (l2psUid.isEmpty()) {
            throw new IllegalArgumentException("l2psUid must not be empty");
        }
        this.l2psUid = l2psUid;
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder transport(TransportProvider provider) {
        settings.transport(provider);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder transport(String name) {
        settings.transport(name);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder codec(CodecProvider provider) {
        settings.codec(provider);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder codec(String name) {
        settings.codec(name);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder crypto(CryptoProvider provider) {
        settings.crypto(provider);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder crypto(String name) {
        settings.crypto(name);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder executor(Executor executor) {
        settings.executor(executor);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder keepAlive(Duration pingInterval, Duration idleTimeout) {
        settings.keepAlive(pingInterval, idleTimeout);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder inboundBufferBytes(int bytes) {
        settings.inboundBufferBytes(bytes);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder connectTimeout(Duration timeout) {
        settings.connectTimeout(timeout);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder sendTimeout(Duration timeout) {
        this.sendTimeout = PeerSettings.positive(timeout, "sendTimeout");
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder requestTimeout(Duration timeout) {
        this.requestTimeout = PeerSettings.positive(timeout, "requestTimeout");
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder reconnectPolicy(ReconnectPolicy policy) {
        settings.reconnectPolicy(policy);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder features(Set<String> features) {
        Objects.requireNonNull(features, "features");
        features.forEach(f -> Objects.requireNonNull(f, "feature"));
        this.features = new LinkedHashSet<>(features);
        return this;
    }

    @Override
    public L2psMessagingPeer.Builder trustStore(TrustStore store) {
        this.trustStore = Objects.requireNonNull(store, "store");
        return this;
    }

    @Override
    public L2psMessagingPeer build() {
        if (settings.uri() == null) {
            throw new IllegalStateException("Set the server with serverUri(...), e.g. ws://127.0.0.1:"
                    + L2psMessagingPeer.DEFAULT_PORT);
        }
        if (l2psUid == null) {
            throw new IllegalStateException("Set the L2PS network with l2psUid(...)");
        }
        if (identity == null && signer == null) {
            throw new IllegalStateException("Set who registers: identity(...) or signer(publicKeyHex, signHex)");
        }
        MessageCryptoRef crypto = settings.resolveOptionalCrypto(identity);
        Signer effectiveSigner = signer != null ? signer : identitySigner(identity);
        L2psPeer.Config config = new L2psPeer.Config(settings.resolveTransport(), settings.transportOptions(),
                settings.resolveCodec(), effectiveSigner, crypto, l2psUid, sendTimeout, requestTimeout,
                settings.backoff(), Set.copyOf(features), trustStore != null ? trustStore : TrustStore.inMemory());
        return new L2psPeer(config, new PeerThreads("l2ps", settings.executor()));
    }

    private static Signer identitySigner(Identity identity) {
        return new Signer(identity.ed25519PublicKeyHex(), proof -> io.github.demosim.Bytes.of(
                identity.signEd25519(proof.getBytes(java.nio.charset.StandardCharsets.UTF_8))).toHex());
    }
}
