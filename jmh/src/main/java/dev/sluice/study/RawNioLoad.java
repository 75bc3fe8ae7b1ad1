package dev.sluice.study;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The floor for a load generator on the JDK's NIO: what {@code ../shared/peers/echo_load.c} does, in
 * Java, with no engine. One thread, one {@link Selector}, one direct read buffer; every connection keeps
 * DEPTH messages of SIZE bytes in flight, checks every echoed byte, times each message, and sends the
 * next ones from inside the selector's callback, all the messages one read completed in one write. Next to the C generator it says how much of the
 * project's {@code load} gap is the JDK's ({@code select}, the channel's locks, JNI), and next to
 * {@code load} how much is the engine's.
 *
 * <p>A measuring peer, not a tool: no timeouts, no reconnects, and a partial write (which 64-byte
 * messages never meet) stops the run with an error rather than being queued.
 *
 * <p>Usage: {@code RawNioLoad HOST PORT CONNS DURATION_S SIZE DEPTH WARMUP_S}; prints one line,
 * {@code conns=.. depth=.. msgs_per_s=.. p99_us=.. errors=0}, in the C generator's spelling.
 *
 * <p>Thread: one, the caller's.
 */
public final class RawNioLoad {
    /** One connection's state: a flat object, as the C generator's {@code struct conn}. */
    private static final class Conn {
        SocketChannel channel;
        long[] sentAtNs;
        int sendSlot;
        int receiveSlot;
        int receivedOfCurrent;
    }

    private final ByteBuffer pattern;
    private final ByteBuffer expect;
    private final ByteBuffer send;
    private final ByteBuffer read = ByteBuffer.allocateDirect(256 * 1024);
    private final int size;
    private final int depth;
    /** Log histogram in ns, 16 sub-buckets per power of two (about 6 %), as the C generator keeps. */
    private final long[] histogram = new long[64 * 16];
    private long measured;
    private boolean measuring;

    /** Thread: any; the load then belongs to the thread that runs it. */
    RawNioLoad(int size, int depth) {
        this.size = size;
        this.depth = depth;
        ByteBuffer p = ByteBuffer.allocateDirect(size * depth); // the message, DEPTH times: one write sends many
        for (int i = 0; i < size * depth; i++) {
            p.put((byte) ((i % size) * 31 + 7));
        }
        pattern = p.flip().asReadOnlyBuffer();
        expect = pattern.duplicate();
        send = pattern.duplicate();
    }

    /**
     * Thread: the caller's. Runs one load and prints its line.
     *
     * @param args HOST PORT CONNS DURATION_S SIZE DEPTH WARMUP_S
     * @throws IOException when a connection fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 7) {
            System.err.println("usage: RawNioLoad HOST PORT CONNS DURATION_S SIZE DEPTH WARMUP_S");
            System.exit(2);
        }
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int conns = Integer.parseInt(args[2]);
        double duration = Double.parseDouble(args[3]);
        int size = Integer.parseInt(args[4]);
        int depth = Integer.parseInt(args[5]);
        double warmup = Double.parseDouble(args[6]);
        RawNioLoad load = new RawNioLoad(size, depth);
        double rate = load.run(address, conns, warmup, duration);
        System.out.printf(Locale.ROOT, "conns=%d size=%d depth=%d msgs_per_s=%.0f p99_us=%.1f errors=0%n",
                conns, size, depth, rate, load.percentileUs(0.99));
    }

    /**
     * Thread: the caller's. Connects, runs the warm-up and the measured time, closes every connection.
     *
     * @return messages per second over the measured time
     * @throws IOException when a connection fails
     * @throws IllegalStateException when a byte comes back wrong, the server closes, or a write is partial
     */
    double run(InetSocketAddress address, int conns, double warmupS, double durationS) throws IOException {
        try (Selector selector = Selector.open()) {
            Conn[] all = new Conn[conns];
            for (int i = 0; i < conns; i++) { // blocking connects: at most one handshake in the backlog at a time
                Conn c = all[i] = new Conn();
                c.channel = SocketChannel.open(address);
                c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.channel.configureBlocking(false);
                c.channel.register(selector, SelectionKey.OP_READ, c);
                c.sentAtNs = new long[depth];
            }
            long start = System.nanoTime();
            for (Conn c : all) {
                send(c, depth, start);
            }
            long measureFrom = start + (long) (warmupS * 1e9);
            long end = measureFrom + (long) (durationS * 1e9);
            Consumer<SelectionKey> onReady = this::onReadable;
            long measuredFrom = 0;
            for (;;) {
                selector.select(onReady, 50);
                long now = System.nanoTime();
                if (!measuring && now - measureFrom >= 0) {
                    measuring = true;
                    measuredFrom = now;
                }
                if (now - end >= 0) {
                    double rate = measured / ((now - measuredFrom) / 1e9);
                    for (Conn c : all) {
                        c.channel.close();
                    }
                    return rate;
                }
            }
        }
    }

    /** Sends {@code k} messages in one write, as the C generator's flush does. */
    private void send(Conn c, int k, long nowNs) {
        for (int i = 0; i < k; i++) {
            c.sentAtNs[c.sendSlot] = nowNs;
            c.sendSlot = c.sendSlot + 1 == depth ? 0 : c.sendSlot + 1;
        }
        send.clear().limit(k * size);
        try {
            if (c.channel.write(send) != k * size) {
                throw new IllegalStateException("a partial write: this floor does not queue");
            }
        } catch (IOException e) {
            throw new IllegalStateException("write failed", e);
        }
    }

    private void onReadable(SelectionKey key) {
        Conn c = (Conn) key.attachment();
        read.clear();
        int n;
        try {
            n = c.channel.read(read);
        } catch (IOException e) {
            throw new IllegalStateException("read failed", e);
        }
        if (n < 0) {
            throw new IllegalStateException("the server closed a connection");
        }
        read.flip();
        long now = 0;
        int done = 0;
        while (read.hasRemaining()) {
            int take = Math.min(read.remaining(), size - c.receivedOfCurrent);
            expect.limit(c.receivedOfCurrent + take).position(c.receivedOfCurrent); // within the first copy
            int limit = read.limit();
            read.limit(read.position() + take);
            if (read.mismatch(expect) >= 0) {
                throw new IllegalStateException("a wrong byte came back");
            }
            read.position(read.limit()).limit(limit);
            c.receivedOfCurrent += take;
            if (c.receivedOfCurrent < size) {
                continue;
            }
            c.receivedOfCurrent = 0;
            if (now == 0) {
                now = System.nanoTime();
            }
            if (measuring) {
                record(now - c.sentAtNs[c.receiveSlot]);
                measured++;
            }
            c.receiveSlot = c.receiveSlot + 1 == depth ? 0 : c.receiveSlot + 1;
            done++;
        }
        if (done > 0) {
            send(c, done, now);
        }
    }

    private void record(long ns) {
        long v = Math.max(ns, 16);
        int e = 63 - Long.numberOfLeadingZeros(v);
        histogram[(e - 3) * 16 + (int) ((v >>> (e - 4)) & 15)]++;
    }

    /** @return the latency at quantile {@code q} of the measured messages, in microseconds */
    double percentileUs(double q) {
        long want = (long) (q * measured);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen > want) {
                int e = i / 16 + 3;
                int sub = i % 16;
                return ((double) ((16L + sub) << (e - 4)) + (1L << (e - 4)) / 2.0) / 1000.0;
            }
        }
        return 0;
    }
}
