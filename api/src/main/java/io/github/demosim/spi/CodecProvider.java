package io.github.demosim.spi;

import io.github.demosim.internal.provider.Providers;

/**
 * A JSON codec for frames. Implementations are stateless factories found with
 * {@link java.util.ServiceLoader}; the SDK calls {@link #create()} once per peer or server.
 */
public interface CodecProvider {

    /**
     * Returns the name users select this provider by, e.g. {@code jackson}.
     *
     * @return a short lowercase name
     */
    String name();

    /**
     * Creates a codec. The codec is thread-safe.
     *
     * @return a codec
     */
    FrameCodec create();

    /**
     * Finds the codec provider to use: the one the system property {@code demos.im.codec} names, else the
     * single one present.
     *
     * @return the provider
     * @throws io.github.demosim.ProviderNotFoundException if none is present
     * @throws io.github.demosim.AmbiguousProviderException if several are present and none is chosen
     * @throws io.github.demosim.UnknownProviderException if the property names no present provider
     */
    static CodecProvider find() {
        return Providers.select(CodecProvider.class, null);
    }

    /**
     * Finds the codec provider with the given name.
     *
     * @param name the provider's {@link #name()}
     * @return the provider
     * @throws io.github.demosim.UnknownProviderException if no present provider has that name
     */
    static CodecProvider find(String name) {
        return Providers.select(CodecProvider.class, java.util.Objects.requireNonNull(name, "name"));
    }
}
