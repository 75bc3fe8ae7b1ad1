package dev.sluice.jmh;

import dev.sluice.codec.FrameSink;
import dev.sluice.codec.FrameTooLongException;
import dev.sluice.codec.LineFramer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link LineFramer#decode} on the shapes a server sees:
 *
 * <ul>
 *   <li>{@code manyLines}: one read holding {@value #LINES} lines of {@value #LINE_BYTES} bytes
 *       ({@value #LINE_BYTES} - 1 bytes of text and {@code \n}), decoded in one call. Every line lies
 *       whole inside the read, so each is shown to the sink as a view of the read buffer.</li>
 *   <li>{@code splitLine}: one {@value #LINE_BYTES}-byte line that arrives in two reads, cut in the
 *       middle: two calls, the first of which must keep the half line.</li>
 * </ul>
 *
 * <p>The read buffer is direct, like the engine's, and the same buffer is passed on every call,
 * which is what the framer's zero-allocation promise assumes. The secondary result {@code bytes}
 * is bytes decoded per second (JMH labels it ops/s) and {@code lines} lines per second.
 * {@code manyLines} should allocate nothing ({@code -prof gc}); {@code splitLine} allocates by design
 * (the framer's javadoc: a buffer and a view of it per line that spans reads, so idle connections
 * hold nothing), and its {@code gc.alloc.rate.norm} is that price.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar LineFramer -prof gc}.
 *
 * <p>Thread: JMH's; one benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LineFramerBenchmark {
    static final int LINES = 64;
    static final int LINE_BYTES = 32;

    private final LineFramer framer = new LineFramer(8 * 1024);
    private final Sink sink = new Sink();
    private ByteBuffer manyLines;
    private ByteBuffer oneLine;

    /** Adds up line lengths, so the lines are observably used. */
    static final class Sink implements FrameSink {
        long bytes;

        @Override
        public void onFrame(ByteBuffer frame) {
            bytes += frame.remaining();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        manyLines = ByteBuffer.allocateDirect(LINES * LINE_BYTES);
        for (int line = 0; line < LINES; line++) {
            fillLine(manyLines, line);
        }
        oneLine = ByteBuffer.allocateDirect(LINE_BYTES);
        fillLine(oneLine, 7);
    }

    private static void fillLine(ByteBuffer buf, int line) {
        for (int i = 0; i < LINE_BYTES - 1; i++) {
            buf.put((byte) ('a' + (line + i) % 26));
        }
        buf.put((byte) '\n');
    }

    /**
     * Decodes {@value #LINES} whole lines from one read.
     *
     * @param counters bytes and lines decoded
     * @return line bytes seen so far
     * @throws FrameTooLongException never: the lines are short
     */
    @Benchmark
    public long manyLines(Throughput counters) throws FrameTooLongException {
        manyLines.clear();
        framer.decode(manyLines, sink);
        counters.bytes += LINES * LINE_BYTES;
        counters.lines += LINES;
        return sink.bytes;
    }

    /**
     * Decodes one line delivered in two reads.
     *
     * @param counters bytes and lines decoded
     * @return line bytes seen so far
     * @throws FrameTooLongException never: the line is short
     */
    @Benchmark
    public long splitLine(Throughput counters) throws FrameTooLongException {
        oneLine.limit(LINE_BYTES / 2).position(0);
        framer.decode(oneLine, sink);
        oneLine.limit(LINE_BYTES).position(LINE_BYTES / 2);
        framer.decode(oneLine, sink);
        counters.bytes += LINE_BYTES;
        counters.lines += 1;
        return sink.bytes;
    }

    /** Bytes and lines decoded, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        /** Bytes fed to the framer, terminators included. */
        public long bytes;
        /** Lines delivered. */
        public long lines;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
            lines = 0;
        }
    }
}
