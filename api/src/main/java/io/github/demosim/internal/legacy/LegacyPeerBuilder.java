package io.github.demosim.internal.legacy;

import io.github.demosim.Identity;
import io.github.demosim.MessagingPeer;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.TrustStore;
import io.github.demosim.internal.peer.DemosMessageCrypto;
import io.github.demosim.internal.peer.PeerSettings;
import io.github.demosim.internal.peer.PeerThreads;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.TransportProvider;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/** The {@link MessagingPeer.Builder} implementation. */
public final class LegacyPeerBuilder implements MessagingPeer.Builder {
    private final PeerSettings settings = new PeerSettings(MessagingPeer.DEFAULT_PORT);
    private String clientId;
    private Identity identity;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Set<String> features = Set.of(MessagingPeer.FEATURE_ENVELOPE);
    private TrustStore trustStore;

    /** Use {@link MessagingPeer#newBuilder()}. */
    public LegacyPeerBuilder() {
    }

    @Override
    public MessagingPeer.Builder serverUri(URI uri) {
        settings.uri(uri);
        return this;
    }

    @Override
    public MessagingPeer.Builder serverUri(String uri) {
        settings.uri(uri);
        return this;
    }

    @Override
    public MessagingPeer.Builder serverUris(java.util.List<URI> uris) {
        settings.uris(uris);
        return this;
    }

    @Override
    public MessagingPeer.Builder serverUris(String... uris) {
        Objects.requireNonNull(uris, "uris");
        settings.uriTexts(java.util.Arrays.asList(uris));
        return this;
    }

    @Override
    public MessagingPeer.Builder clientId(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        this.clientId = clientId;
        return this;
    }

    @Override
    public MessagingPeer.Builder identity(Identity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
        return this;
    }

    @Override
    public MessagingPeer.Builder transport(TransportProvider provider) {
        settings.transport(provider);
        return this;
    }

    @Override
    public MessagingPeer.Builder transport(String name) {
        settings.transport(name);
        return this;
    }

    @Override
    public MessagingPeer.Builder codec(CodecProvider provider) {
        settings.codec(provider);
        return this;
    }

    @Override
    public MessagingPeer.Builder codec(String name) {
        settings.codec(name);
        return this;
    }

    @Override
    public MessagingPeer.Builder crypto(CryptoProvider provider) {
        settings.crypto(provider);
        return this;
    }

    @Override
    public MessagingPeer.Builder crypto(String name) {
        settings.crypto(name);
        return this;
    }

    @Override
    public MessagingPeer.Builder executor(Executor executor) {
        settings.executor(executor);
        return this;
    }

    @Override
    public MessagingPeer.Builder keepAlive(Duration pingInterval, Duration idleTimeout) {
        settings.keepAlive(pingInterval, idleTimeout);
        return this;
    }

    @Override
    public MessagingPeer.Builder inboundBufferBytes(int bytes) {
        settings.inboundBufferBytes(bytes);
        return this;
    }

    @Override
    public MessagingPeer.Builder connectTimeout(Duration timeout) {
        settings.connectTimeout(timeout);
        return this;
    }

    @Override
    public MessagingPeer.Builder requestTimeout(Duration timeout) {
        this.requestTimeout = PeerSettings.positive(timeout, "requestTimeout");
        return this;
    }

    @Override
    public MessagingPeer.Builder reconnectPolicy(ReconnectPolicy policy) {
        settings.reconnectPolicy(policy);
        return this;
    }

    @Override
    public MessagingPeer.Builder features(Set<String> features) {
        Objects.requireNonNull(features, "features");
        features.forEach(f -> Objects.requireNonNull(f, "feature"));
        this.features = new LinkedHashSet<>(features);
        return this;
    }

    @Override
    public MessagingPeer.Builder trustStore(TrustStore store) {
        this.trustStore = Objects.requireNonNull(store, "store");
        return this;
    }

    @Override
    public MessagingPeer build() {
        if (settings.uri() == null) {
            throw new IllegalStateException("Set the server with serverUri(...), e.g. ws://127.0.0.1:"
                    + MessagingPeer.DEFAULT_PORT);
        }
        if (clientId == null) {
            throw new IllegalStateException("Set the client id with clientId(...)");
        }
        if (identity == null) {
            throw new IllegalStateException("Set the identity with identity(...): its ML-KEM key is registered and "
                    + "its ML-DSA key signs the registration proof");
        }
        LegacyPeer.Config config = new LegacyPeer.Config(settings.resolveTransport(), settings.transportOptions(),
                settings.resolveCodec(), new DemosMessageCrypto(settings.resolveCrypto(identity), identity), clientId,
                requestTimeout, settings.backoff(), Set.copyOf(features),
                trustStore != null ? trustStore : TrustStore.inMemory());
        return new LegacyPeer(config, new PeerThreads("legacy", settings.executor()));
    }
}
