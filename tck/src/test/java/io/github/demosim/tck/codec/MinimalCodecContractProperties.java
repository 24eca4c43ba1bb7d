package io.github.demosim.tck.codec;

import io.github.demosim.spi.FrameCodec;

/**
 * The codec contract against a codec that is nothing but {@link MinimalJsonSyntax}, about 300 lines on the JDK,
 * and the SDK's frame mapping: proof that a codec provider needs no protocol knowledge of its own, and that the
 * contract checks the mapping through any syntax.
 */
class MinimalCodecContractProperties implements CodecContract {
    private final FrameCodec codec = FrameCodec.of(new MinimalJsonSyntax());

    @Override
    public FrameCodec codec() {
        return codec;
    }
}
