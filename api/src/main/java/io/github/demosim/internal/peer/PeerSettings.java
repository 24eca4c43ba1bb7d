package io.github.demosim.internal.peer;

import io.github.demosim.Identity;
import io.github.demosim.ImException;
import io.github.demosim.ReconnectPolicy;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.FrameCodec;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The settings both peer builders share, and their resolution at {@code build()}: providers chosen by
 * instance, by name, or found once with {@link java.util.ServiceLoader}. Not thread-safe, like the builders.
 */
public final class PeerSettings {
    private final int defaultPort;
    private List<URI> uris = List.of();
    private TransportProvider transport;
    private String transportName;
    private CodecProvider codec;
    private String codecName;
    private CryptoProvider crypto;
    private String cryptoName;
    private Executor executor;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration pingInterval = TransportOptions.DEFAULT_PING_INTERVAL;
    private Duration idleTimeout = TransportOptions.DEFAULT_IDLE_TIMEOUT;
    private ReconnectPolicy reconnectPolicy = ReconnectPolicy.defaults();
    private int inboundBufferBytes = TransportOptions.DEFAULT_INBOUND_BUFFER_BYTES;

    /** @param defaultPort the port a URI without one gets */
    public PeerSettings(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** Sets the one server URI, adding the default port when it has none. */
    public void uri(URI given) {
        uris = List.of(normalized(given));
    }

    /**
     * Sets the servers to fail over between, in order, each as {@link #uri(URI)}.
     *
     * @throws IllegalArgumentException if the list is empty, repeats a server or holds a URI that is not ws/wss
     */
    public void uris(List<URI> given) {
        Objects.requireNonNull(given, "uris");
        if (given.isEmpty()) {
            throw new IllegalArgumentException("Give at least one server URI");
        }
        List<URI> all = new ArrayList<>();
        for (URI u : given) {
            URI n = normalized(Objects.requireNonNull(u, "uri"));
            if (all.contains(n)) {
                throw new IllegalArgumentException("The server " + n + " is listed twice; list each server once");
            }
            all.add(n);
        }
        uris = List.copyOf(all);
    }

    /** Sets the servers from text, as {@link #uris(List)}. */
    public void uriTexts(List<String> given) {
        Objects.requireNonNull(given, "uris");
        uris(given.stream().map(PeerSettings::parse).toList());
    }

    private URI normalized(URI given) {
        Objects.requireNonNull(given, "uri");
        String scheme = given.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("The server URI must start with ws:// or wss://, got " + given);
        }
        if (given.getHost() == null) {
            throw new IllegalArgumentException("The server URI has no host: " + given);
        }
        if (given.getPort() != -1) {
            return given;
        }
        try {
            return new URI(given.getScheme(), given.getUserInfo(), given.getHost(), defaultPort,
                    given.getPath(), given.getQuery(), given.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Cannot add the default port to " + given + ": " + e.getMessage(), e);
        }
    }

    /** Sets the server URI from text. */
    public void uri(String text) {
        uri(parse(text));
    }

    private static URI parse(String text) {
        Objects.requireNonNull(text, "uri");
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a URI: '" + text + "' (" + e.getMessage() + ")", e);
        }
    }

    /** The first URI, or {@code null} when none is set. */
    public URI uri() {
        return uris.isEmpty() ? null : uris.get(0);
    }

    /** Chooses the transport. */
    public void transport(TransportProvider p) {
        transport = Objects.requireNonNull(p, "provider");
        transportName = null;
    }

    /** Chooses the transport by name. */
    public void transport(String name) {
        transportName = requireName(name);
        transport = null;
    }

    /** Chooses the codec. */
    public void codec(CodecProvider p) {
        codec = Objects.requireNonNull(p, "provider");
        codecName = null;
    }

    /** Chooses the codec by name. */
    public void codec(String name) {
        codecName = requireName(name);
        codec = null;
    }

    /** Chooses the crypto provider. */
    public void crypto(CryptoProvider p) {
        crypto = Objects.requireNonNull(p, "provider");
        cryptoName = null;
    }

    /** Chooses the crypto provider by name. */
    public void crypto(String name) {
        cryptoName = requireName(name);
        crypto = null;
    }

    /** Sets the callback executor. */
    public void executor(Executor e) {
        executor = Objects.requireNonNull(e, "executor");
    }

    /** The callback executor, or {@code null} for the peer's own threads. */
    public Executor executor() {
        return executor;
    }

    /** Sets the connect timeout. */
    public void connectTimeout(Duration d) {
        connectTimeout = positive(d, "connectTimeout");
    }

    /** Sets the keep-alive: ping interval and idle timeout of the transport. */
    public void keepAlive(Duration ping, Duration idle) {
        positive(ping, "pingInterval");
        positive(idle, "idleTimeout");
        if (idle.compareTo(ping) <= 0) {
            throw new IllegalArgumentException("idleTimeout (" + idle + ") must be longer than pingInterval (" + ping
                    + "), or every quiet connection would be dropped before its first ping is answered");
        }
        pingInterval = ping;
        idleTimeout = idle;
    }

    /** Sets the bound on received frames held in memory, in the transport and again in the peer. */
    public void inboundBufferBytes(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("inboundBufferBytes must be at least 1024, got " + bytes);
        }
        inboundBufferBytes = bytes;
    }

    /** Sets the reconnect policy. */
    public void reconnectPolicy(ReconnectPolicy p) {
        reconnectPolicy = Objects.requireNonNull(p, "policy");
    }

    /** The transport, found once. */
    public TransportProvider resolveTransport() {
        if (transport != null) {
            return transport;
        }
        return transportName != null ? TransportProvider.find(transportName) : TransportProvider.find();
    }

    /** A codec from the chosen or found provider. */
    public FrameCodec resolveCodec() {
        CodecProvider p = codec != null ? codec : codecName != null ? CodecProvider.find(codecName)
                : CodecProvider.find();
        return p.create();
    }

    /**
     * The constructions on the chosen crypto provider; else the identity's provider; else the one found.
     *
     * @param identity the peer's identity, or {@code null}
     */
    public DemosCrypto resolveCrypto(Identity identity) {
        if (crypto != null) {
            return DemosCrypto.create(crypto);
        }
        if (cryptoName != null) {
            return DemosCrypto.create(CryptoProvider.find(cryptoName));
        }
        if (identity != null) {
            return DemosCrypto.create(identity.provider());
        }
        return DemosCrypto.create(CryptoProvider.find());
    }

    /**
     * Like {@link #resolveCrypto}, but a missing provider is not fatal: for a peer that signs with an external
     * signer and may never encrypt. The failure is kept and thrown when encryption is first needed.
     */
    public MessageCryptoRef resolveOptionalCrypto(Identity identity) {
        try {
            return MessageCryptoRef.of(new DemosMessageCrypto(resolveCrypto(identity), identity));
        } catch (ImException e) {
            if (identity != null || crypto != null || cryptoName != null) {
                throw e;
            }
            return MessageCryptoRef.unavailable(e);
        }
    }

    /** The transport options, one per server, in the order given. */
    public List<TransportOptions> transportOptions() {
        return uris.stream().map(u -> TransportOptions.newBuilder(u).connectTimeout(connectTimeout)
                .pingInterval(pingInterval).idleTimeout(idleTimeout).inboundBufferBytes(inboundBufferBytes).build())
                .toList();
    }

    /** The back-off of the reconnect policy, with jitter from a thread-local random. */
    public Backoff backoff() {
        return new Backoff(reconnectPolicy, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Checks that a duration is positive. */
    public static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    private static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A provider name must not be blank");
        }
        return name.strip();
    }
}
