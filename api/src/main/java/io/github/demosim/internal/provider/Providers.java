package io.github.demosim.internal.provider;

import io.github.demosim.AmbiguousProviderException;
import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.ProviderNotFoundException;
import io.github.demosim.UnknownProviderException;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.spi.TransportProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the provider of an SPI: an explicit name (builder argument), else the system property naming one,
 * else the single one present. Fails fast, listing every candidate, instead of picking one by class-path
 * order. Called once per peer or server, never per operation.
 */
public final class Providers {
    private static final System.Logger LOG = System.getLogger(Providers.class.getName());

    /** What each SPI is called, its property, and the artifacts that provide it, for the messages. */
    private record Spi(String property, String artifacts, String jlinkModules) {
    }

    private static final Map<Class<?>, Spi> SPIS = Map.of(
            TransportProvider.class, new Spi("demos.im.transport",
                    "io.github.demosim:demos-im-transport-jdk, io.github.demosim:demos-im-transport-javawebsocket or"
                            + " io.github.demosim:demos-im-transport-tyrus",
                    "io.github.demosim.transport.jdk, io.github.demosim.transport.javawebsocket or"
                            + " io.github.demosim.transport.tyrus"),
            CryptoProvider.class, new Spi("demos.im.crypto",
                    "io.github.demosim:demos-im-crypto-bouncycastle (or, on Java 25+, io.github.demosim:demos-im-crypto-jdk)",
                    "io.github.demosim.crypto.bouncycastle or io.github.demosim.crypto.jdk"),
            CodecProvider.class, new Spi("demos.im.codec",
                    "io.github.demosim:demos-im-codec-json",
                    "io.github.demosim.codec.json"));

    private Providers() {
    }

    /**
     * Selects the provider of {@code spi}.
     *
     * @param <S> the SPI
     * @param spi one of {@link TransportProvider}, {@link CryptoProvider}, {@link CodecProvider}
     * @param explicitName a name chosen in code, or {@code null} to consult the system property
     * @return the provider
     */
    public static <S> S select(Class<S> spi, String explicitName) {
        return select(spi, explicitName, ServiceLoader.load(spi, Providers.class.getClassLoader()).iterator());
    }

    /** The selection logic, separated from {@link ServiceLoader} so it can be tested with any candidates. */
    static <S> S select(Class<S> spi, String explicitName, Iterator<S> found) {
        Spi info = SPIS.get(spi);
        if (info == null) {
            throw new IllegalArgumentException("not a demos-im SPI: " + spi.getName());
        }
        List<S> candidates = new ArrayList<>();
        // Providers compiled for a newer Java than this one (crypto-jdk needs 25) cannot be loaded here: they
        // are left out and named, so a jar meant for newer runtimes does not break an older one.
        List<String> tooNew = new ArrayList<>();
        while (true) {
            try {
                if (!found.hasNext()) {
                    break;
                }
                candidates.add(found.next());
            } catch (UnsupportedClassVersionError e) {
                tooNew.add(e.getMessage());
            } catch (ServiceConfigurationError e) {
                throw new ImException(ErrorCode.PROVIDER_BROKEN, "A " + spi.getSimpleName()
                        + " is declared but cannot be loaded: " + e.getMessage()
                        + ". Check that its jar is complete and its dependencies are present.", e);
            }
        }
        String notLoadable = tooNew.isEmpty() ? "" : " Declared but not loadable on this Java "
                + Runtime.version().feature() + ": " + String.join("; ", tooNew) + ".";
        String wanted = explicitName;
        String source = "asked for by name in code";
        String fix = "Use one of these names.";
        if (wanted == null) {
            String property = System.getProperty(info.property());
            if (property != null && !property.isBlank()) {
                wanted = property.strip();
                source = "-D" + info.property() + "=" + property;
                fix = "Set -D" + info.property() + " to one of these names, or remove it.";
            }
        }
        String install = "Add " + info.artifacts() + " to your dependencies (in a jlink image: --add-modules "
                + info.jlinkModules() + ").";
        S chosen;
        if (wanted != null) {
            String name = wanted;
            List<S> named = candidates.stream().filter(c -> name.equals(nameOf(c))).collect(Collectors.toList());
            if (named.isEmpty()) {
                throw new UnknownProviderException(ErrorCode.PROVIDER_UNKNOWN, "No " + spi.getSimpleName()
                        + " is named '" + wanted + "' (" + source + ")"
                        + (candidates.isEmpty()
                                ? ", and none is present at all." + notLoadable + " " + install
                                : ". Present: " + describe(candidates) + "." + notLoadable + " " + fix));
            }
            if (named.size() > 1) {
                throw new AmbiguousProviderException(ErrorCode.PROVIDER_AMBIGUOUS, "Several " + spi.getSimpleName()
                        + "s are named '" + wanted + "' (" + source + "): " + describe(named)
                        + ". Remove all but one of them from the module path or class path.");
            }
            chosen = named.get(0);
        } else if (candidates.isEmpty()) {
            throw new ProviderNotFoundException(ErrorCode.PROVIDER_NOT_FOUND, "No " + spi.getSimpleName()
                    + " found on the module path or class path." + notLoadable + " " + install);
        } else if (candidates.size() > 1) {
            throw new AmbiguousProviderException(ErrorCode.PROVIDER_AMBIGUOUS, "Several " + spi.getSimpleName()
                    + "s found and none chosen: " + describe(candidates) + ". Choose one by name on the builder or"
                    + " with -D" + info.property() + "=<name>, or keep only one of them on the module path or"
                    + " class path.");
        } else {
            chosen = candidates.get(0);
        }
        if (!tooNew.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, () -> "Using " + spi.getSimpleName() + " " + describe(List.of(chosen))
                    + "; ignoring what this Java " + Runtime.version().feature() + " cannot load: "
                    + String.join("; ", tooNew));
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "Using " + spi.getSimpleName() + " " + describe(List.of(chosen)));
        return chosen;
    }

    private static String nameOf(Object provider) {
        if (provider instanceof TransportProvider p) {
            return p.name();
        }
        if (provider instanceof CryptoProvider p) {
            return p.name();
        }
        if (provider instanceof CodecProvider p) {
            return p.name();
        }
        throw new IllegalStateException("unexpected provider " + provider.getClass().getName());
    }

    private static String describe(List<?> providers) {
        return providers.stream().map(p -> "'" + nameOf(p) + "' (" + p.getClass().getName() + ", "
                + moduleOf(p.getClass()) + ")").collect(Collectors.joining(", "));
    }

    private static String moduleOf(Class<?> type) {
        Module module = type.getModule();
        if (module.isNamed()) {
            return "module " + module.getName();
        }
        var location = type.getProtectionDomain().getCodeSource();
        return "class path" + (location == null ? "" : " " + location.getLocation());
    }
}
