package io.github.demosim.bench;

import io.github.demosim.frame.Frame;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.FrameCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The installed codec ({@code CodecProvider.find().create()}) encoding and decoding every frame type of both
 * protocols, filled as in a real session ({@link RealisticFrames}). Average time per frame, in microseconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CodecBenchmark {
    /** The frame: {@code <protocol>-<direction>/<wire type>}, a key of {@link RealisticFrames#all()}. */
    @Param({
        "l2ps-client/register", "l2ps-client/send", "l2ps-client/history", "l2ps-client/discover",
        "l2ps-client/request_public_key", "l2ps-client/ack",
        "l2ps-server/registered", "l2ps-server/message", "l2ps-server/message_sent", "l2ps-server/message_queued",
        "l2ps-server/message_status", "l2ps-server/history_response", "l2ps-server/discover_response",
        "l2ps-server/public_key_response", "l2ps-server/peer_joined", "l2ps-server/peer_left", "l2ps-server/error",
        "legacy-client/register", "legacy-client/discover", "legacy-client/request_public_key",
        "legacy-client/message", "legacy-client/peer_response", "legacy-client/debug_question",
        "legacy-server/register", "legacy-server/discover", "legacy-server/public_key_response",
        "legacy-server/message", "legacy-server/message_queued", "legacy-server/peer_disconnected",
        "legacy-server/server_question", "legacy-server/error"})
    public String frame;

    private FrameCodec codec;
    private Frame value;
    private Class<? extends Frame> family;
    private String text;

    /** Builds the frame and its wire text, and checks that the text decodes back to what encodes to it. */
    @Setup(Level.Trial)
    public void setUp() {
        codec = CodecProvider.find().create();
        RealisticFrames.Sample sample = RealisticFrames.all().get(frame);
        if (sample == null) {
            throw new IllegalArgumentException("no frame named " + frame + "; known: "
                    + RealisticFrames.all().keySet());
        }
        value = sample.frame();
        family = sample.family();
        text = codec.encode(value);
        String again = codec.encode(codec.decode(text, family));
        if (!again.equals(text)) {
            throw new IllegalStateException(frame + " does not survive a round trip:\n" + text + "\n" + again);
        }
    }

    /**
     * Frame to wire text.
     *
     * @return the text
     */
    @Benchmark
    public String encode() {
        return codec.encode(value);
    }

    /**
     * Wire text to frame, checked against its family.
     *
     * @return the frame
     */
    @Benchmark
    public Frame decode() {
        return codec.decode(text, family);
    }
}
