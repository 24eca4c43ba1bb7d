package io.github.demosim.codec.json;

import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.FrameCodec;

/**
 * The codec provider named {@code jackson}: frames to JSON text with Jackson's streaming API
 * ({@code jackson-core} only, no data binding, no reflection). Jackson reads and writes the text
 * ({@link JacksonSyntax}); the SDK's frame mapping, the same for every codec, does the rest
 * ({@link FrameCodec#of}).
 *
 * <p>Found through {@link java.util.ServiceLoader} on the module path and the class path; users do not
 * create it directly unless they pass it to a builder.
 */
public final class JacksonCodecProvider implements CodecProvider {
    /** The provider's name, {@value}. */
    public static final String NAME = "jackson";
    private static final JacksonSyntax SYNTAX = new JacksonSyntax();

    /** Creates the provider; cheap, as {@link java.util.ServiceLoader} requires. */
    public JacksonCodecProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FrameCodec create() {
        return FrameCodec.of(SYNTAX);
    }
}
