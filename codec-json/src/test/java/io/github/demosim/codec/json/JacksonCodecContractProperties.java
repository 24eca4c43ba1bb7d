package io.github.demosim.codec.json;

import io.github.demosim.spi.FrameCodec;
import io.github.demosim.tck.codec.CodecContract;

/** The Jackson codec against the codec contract of the tck. */
class JacksonCodecContractProperties implements CodecContract {
    private final FrameCodec codec = new JacksonCodecProvider().create();

    @Override
    public FrameCodec codec() {
        return codec;
    }
}
