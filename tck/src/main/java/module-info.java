/**
 * Contract tests every demos-im provider must pass, and generators of frames for property tests.
 *
 * <p>{@code io.github.demosim.tck.codec} holds {@link io.github.demosim.tck.codec.CodecContract}, which a
 * codec provider's test class implements; {@code io.github.demosim.tck.generators} holds
 * {@link io.github.demosim.tck.generators.Frames}, jqwik arbitraries of every frame of both protocols;
 * {@code io.github.demosim.tck.net} holds network fault injection for transport and client tests;
 * {@code io.github.demosim.tck.provider} holds
 * {@link io.github.demosim.tck.provider.ProviderRegistrationContract}, which every provider module's tests implement.
 */
module io.github.demosim.tck {
    requires transitive io.github.demosim;
    requires transitive org.junit.jupiter.api;
    requires transitive net.jqwik.api;
    requires transitive org.assertj.core;
    requires java.compiler;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.websocket.core.common;
    requires org.eclipse.jetty.websocket.core.server;

    exports io.github.demosim.tck.codec;
    exports io.github.demosim.tck.crypto;
    exports io.github.demosim.tck.generators;
    exports io.github.demosim.tck.net;
    exports io.github.demosim.tck.provider;
    exports io.github.demosim.tck.transport;
}
