package io.github.demosim.server;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of the builder's settings, with the error texts users see. */
final class Settings {
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9_-]{1,200}");

    private Settings() {
    }

    static int port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (ephemeral) or 1..65535, was " + port);
        }
        return port;
    }

    static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }

    static Set<String> l2psUids(Collection<String> uids) {
        Set<String> copy = new LinkedHashSet<>();
        for (String uid : Objects.requireNonNull(uids, "uids")) {
            if (uid == null || !UID.matcher(uid).matches()) {
                throw new IllegalArgumentException("an L2PS network uid must match [A-Za-z0-9_-]{1,200}, was " + uid);
            }
            copy.add(uid);
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("host at least one L2PS network, or call disableL2ps()");
        }
        return Set.copyOf(copy);
    }

    /** The URI clients use for a bound port: loopback for a wildcard bind, brackets for IPv6, wss with TLS. */
    static URI clientUri(String host, int port, String what, boolean tls) {
        if (port < 0) {
            throw new IllegalStateException("the " + what + " port is disabled on this server");
        }
        String h = host;
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        } else if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return URI.create((tls ? "wss://" : "ws://") + h + ":" + port + "/");
    }
}
