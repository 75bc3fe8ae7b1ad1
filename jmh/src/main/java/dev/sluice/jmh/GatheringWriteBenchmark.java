package dev.sluice.jmh;

import dev.sluice.internal.BufferPool;
import dev.sluice.internal.OutboundBuffer;
import dev.sluice.internal.WriteTarget;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link OutboundBuffer#writeTo} of 4 KiB per operation, queued either as 64 buffers of 64 bytes
 * ({@code shape=64x64}: one {@code writev(2)} of 64 iovecs) or as one 4 KiB buffer
 * ({@code shape=1x4096}: one plain {@code write(2)}). An operation queues the buffers with
 * {@link OutboundBuffer#add} and calls {@code writeTo} until the queue is empty.
 *
 * <p>{@code channel=socket} writes to a connected loopback {@link SocketChannel} (blocking, so a full
 * socket waits instead of spinning) whose peer a background thread drains; {@code channel=discard}
 * writes to a {@link GatheringByteChannel} that takes every byte at once and does nothing, which
 * leaves the queue's own bookkeeping and shows, by difference, what the JDK and the kernel cost.
 * The buffers are direct, like the engine's pooled chunks, so the JDK copies nothing.
 * Multiply ops/s by 4096 for bytes/s.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar GatheringWrite -prof gc}.
 *
 * <p>Thread: JMH's; one benchmark thread, plus the drain thread for {@code channel=socket}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GatheringWriteBenchmark {
    static final int TOTAL_BYTES = 4096;

    /** How the 4 KiB are cut: {@code 64x64} or {@code 1x4096}. */
    @Param({"64x64", "1x4096"})
    public String shape;

    /** Where they go: a loopback socket, or a channel that discards. */
    @Param({"socket", "discard"})
    public String channel;

    private final OutboundBuffer out = new OutboundBuffer();
    private final BufferPool pool = new BufferPool(16 * 1024, 16);
    private ByteBuffer[] buffers;
    private WriteTarget target;
    private ServerSocketChannel server;
    private SocketChannel peer;
    private Thread drainer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        int count;
        if (shape.equals("64x64")) {
            count = 64;
        } else if (shape.equals("1x4096")) {
            count = 1;
        } else {
            throw new IllegalArgumentException("shape must be 64x64 or 1x4096: " + shape);
        }
        buffers = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            buffers[i] = ByteBuffer.allocateDirect(TOTAL_BYTES / count);
        }
        if (channel.equals("socket")) {
            server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel sender = SocketChannel.open(server.getLocalAddress());
            peer = server.accept();
            drainer = new Thread(() -> drain(peer), "drain");
            drainer.setDaemon(true);
            drainer.start();
            target = new SocketTarget(sender);
        } else if (channel.equals("discard")) {
            target = new DiscardChannel();
        } else {
            throw new IllegalArgumentException("channel must be socket or discard: " + channel);
        }
    }

    private static void drain(SocketChannel ch) {
        ByteBuffer sinkBuffer = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (ch.read(sinkBuffer.clear()) >= 0) {
                // discard
            }
        } catch (IOException closed) {
            // tearDown closed the socket: the end of the run.
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        target.close();
        if (server != null) {
            peer.close();
            server.close();
            drainer.join(10_000);
        }
    }

    /**
     * Queues 4 KiB and writes it out.
     *
     * @return bytes written
     * @throws IOException when the socket fails
     */
    @Benchmark
    public long writeTo() throws IOException {
        for (ByteBuffer b : buffers) {
            out.add(b.clear());
        }
        long written = 0;
        while (!out.isEmpty()) {
            written += out.writeTo(target, pool);
        }
        return written;
    }

    /** Takes every byte offered and drops it. */
    /** The socket as the engine's connections see it: gathering writes straight to the channel. */
    static final class SocketTarget implements WriteTarget {
        private final SocketChannel channel;

        SocketTarget(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return channel.write(srcs, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return channel.write(srcs);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    static final class DiscardChannel implements WriteTarget {
        private boolean open = true;

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += srcs[i].remaining();
                srcs[i].position(srcs[i].limit());
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
