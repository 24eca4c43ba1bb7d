package io.github.demosim.transport.javawebsocket;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Routes SLF4J, which Java-WebSocket logs through, to {@link System.Logger}, so that this transport needs no
 * SLF4J binding and SLF4J prints no "No SLF4J providers were found" warning.
 *
 * <p>If the application has an SLF4J provider of its own (Logback, Log4j 2, slf4j-simple…), this provider hands
 * everything to it instead, whichever of the two SLF4J picked; SLF4J then reports that it found several
 * providers, which {@code -Dslf4j.provider=<your provider class>} silences.
 */
public final class SystemLoggerSlf4jProvider implements SLF4JServiceProvider {
    private volatile ILoggerFactory loggerFactory;
    private volatile IMarkerFactory markerFactory;
    private volatile MDCAdapter mdcAdapter;

    /** Creates the provider; called by {@link ServiceLoader}. */
    public SystemLoggerSlf4jProvider() {
    }

    @Override
    public void initialize() {
        SLF4JServiceProvider other = findOtherProvider();
        if (other != null) {
            other.initialize();
            loggerFactory = other.getLoggerFactory();
            markerFactory = other.getMarkerFactory();
            mdcAdapter = other.getMDCAdapter();
            return;
        }
        ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
        loggerFactory = name -> loggers.computeIfAbsent(name, SystemLoggerAdapter::new);
        markerFactory = new BasicMarkerFactory();
        mdcAdapter = new NOPMDCAdapter();
    }

    private static SLF4JServiceProvider findOtherProvider() {
        Iterator<SLF4JServiceProvider> found =
                ServiceLoader.load(SLF4JServiceProvider.class, SystemLoggerSlf4jProvider.class.getClassLoader())
                        .iterator();
        while (true) {
            try {
                if (!found.hasNext()) {
                    return null;
                }
                SLF4JServiceProvider candidate = found.next();
                if (!(candidate instanceof SystemLoggerSlf4jProvider)) {
                    return candidate;
                }
            } catch (ServiceConfigurationError e) {
                // a broken provider is SLF4J's to report; keep looking
            }
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
