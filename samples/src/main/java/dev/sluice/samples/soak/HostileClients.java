package dev.sluice.samples.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hostile peers of the engine's reliability tests ({@code dev.sluice.testing.HostilePeers}), driven
 * in real time and over and over for the soak. Each kind runs on its own threads in cycles: open a
 * connection to 127.0.0.1, misbehave for a few seconds (past the server's 5 s limits), close abortively,
 * start again. Every cycle is bounded in time, in bytes and in sockets, so the load is the same in the
 * tenth minute as in the first.
 *
 * <p>The server's side of each outcome shows in its close reasons; what a client can check itself (a
 * half-closing peer still gets every byte back) counts in {@link #failures()}.
 *
 * <p>Thread: {@link #start} and {@link #close} from one thread; the counters from any.
 */
final class HostileClients implements AutoCloseable {
    /** The misbehaviours, one per kind of peer that hurts event-loop servers. */
    enum Kind {
        NEVER_READS, SLOW_READER, SLOWLORIS, SILENT, HALF_CLOSE, RESET_MID_WRITE, ACCEPT_STORM, ENDLESS_LINE, VANISH
    }

    /** How long a peer keeps misbehaving: longer than the server's 5 s timeouts. */
    private static final long MISBEHAVE_MS = 7_000;
    private static final long MIN_CYCLE_MS = 1_000;
    private static final int SMALL_BUFFER = 16 * 1024;
    private static final long ENDLESS_LINE_BYTES = 100L << 20;
    private static final long STORM_PERIOD_MS = 7_000; // not a divisor of the 10 s report interval
    private static final byte[] LINE = line(100);

    private final InetSocketAddress target;
    private final int stormConnections;
    private final Map<Kind, AtomicLong> cycles = new EnumMap<>(Kind.class);
    private final AtomicLong failures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    private HostileClients(InetSocketAddress target, int stormConnections) {
        this.target = target;
        this.stormConnections = stormConnections;
        for (Kind k : Kind.values()) {
            cycles.put(k, new AtomicLong());
        }
    }

    /**
     * Starts {@code perKind} peers of every kind.
     *
     * @param target           the server (loopback)
     * @param perKind          peers of each kind
     * @param stormConnections connections each accept storm opens, split over its peers
     * @return the running peers
     */
    static HostileClients start(InetSocketAddress target, int perKind, int stormConnections) {
        if (!target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("hostile peers only talk to loopback, not " + target);
        }
        HostileClients h = new HostileClients(target, Math.max(1, stormConnections / Math.max(1, perKind)));
        for (Kind k : Kind.values()) {
            for (int i = 0; i < perKind; i++) {
                Thread t = new Thread(() -> h.run(k), "hostile-" + k.name().toLowerCase() + "-" + i);
                t.setDaemon(true);
                h.threads.add(t);
                t.start();
            }
        }
        return h;
    }

    long cycles() {
        return cycles.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long cycles(Kind kind) {
        return cycles.get(kind).get();
    }

    /** Things the server must never do that a hostile client could see (a half-closer's echo differs). */
    long failures() {
        return failures.get();
    }

    /** Stops every thread and waits for them (at most 30 s each); keeps the caller's interrupt. */
    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        try {
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Kind kind) {
        while (!stopped) {
            long start = System.nanoTime();
            try {
                try {
                    cycle(kind);
                } catch (IOException expected) {
                    // The server reset or closed us: for a hostile peer that is the expected ending.
                }
                cycles.get(kind).incrementAndGet();
                // At most one cycle a second per peer: a peer the listener rejects at once (at its
                // maximum during a storm) would otherwise reconnect in a tight loop.
                sleep(Math.max(0, MIN_CYCLE_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void cycle(Kind kind) throws IOException, InterruptedException {
        switch (kind) {
            case NEVER_READS -> neverRead(false);
            case SLOW_READER -> neverRead(true);
            case SLOWLORIS -> slowloris();
            case SILENT -> silent();
            case HALF_CLOSE -> halfClose();
            case RESET_MID_WRITE -> resetMidWrite();
            case ACCEPT_STORM -> acceptStorm();
            case ENDLESS_LINE -> endlessLine();
            case VANISH -> vanish();
            default -> throw new IllegalStateException(kind.name());
        }
    }

    /** Sends lines without reading their echo until flow control stops it; reads one byte a second if slow. */
    private void neverRead(boolean oneByteASecond) throws IOException, InterruptedException {
        try (SocketChannel ch = open(SMALL_BUFFER)) {
            pushUntilBlocked(ch);
            ByteBuffer one = ByteBuffer.allocate(1);
            for (long waited = 0; waited < MISBEHAVE_MS; waited += 1000) {
                if (oneByteASecond) {
                    one.clear();
                    if (ch.read(one) < 0) {
                        return;
                    }
                }
                sleep(1000);
            }
            abort(ch);
        }
    }

    /** A byte every two seconds of a request line that never ends. */
    private void slowloris() throws IOException, InterruptedException {
        try (SocketChannel ch = open(0)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            for (long waited = 0; waited < MISBEHAVE_MS; waited += 2000) {
                b.clear();
                b.put(0, (byte) 'a');
                ch.write(b);
                sleep(2000);
            }
            abort(ch);
        }
    }

    /** Connects and says nothing. */
    private void silent() throws IOException, InterruptedException {
        try (SocketChannel ch = open(0)) {
            sleep(MISBEHAVE_MS);
            abort(ch);
        }
    }

    /** Sends lines, half-closes, and reads every echoed byte until the server's FIN. */
    private void halfClose() throws IOException, InterruptedException {
        byte[] sent = new byte[32 * LINE.length];
        for (int i = 0; i < 32; i++) {
            System.arraycopy(LINE, 0, sent, i * LINE.length, LINE.length);
        }
        try (SocketChannel ch = open(0)) {
            ch.configureBlocking(true);
            ByteBuffer out = ByteBuffer.wrap(sent);
            while (out.hasRemaining()) {
                ch.write(out); // 3 KiB: fits in the kernel's buffers before anyone reads
            }
            ch.shutdownOutput();
            ByteBuffer in = ByteBuffer.allocate(sent.length + 1);
            while (ch.read(in) >= 0) {
                if (!in.hasRemaining()) {
                    break;
                }
            }
            if (!Arrays.equals(sent, Arrays.copyOf(in.array(), in.position()))) {
                failures.incrementAndGet();
            }
        }
    }

    /** Backs up the server's output, then resets the connection while the server is writing. */
    private void resetMidWrite() throws IOException, InterruptedException {
        try (SocketChannel ch = open(SMALL_BUFFER)) {
            pushUntilBlocked(ch);
            sleep(200);
            abort(ch);
        }
    }

    /** Opens connections as fast as connect allows, holds them a second, resets them all. */
    private void acceptStorm() throws InterruptedException {
        long start = System.nanoTime();
        List<SocketChannel> storm = new ArrayList<>();
        try {
            for (int i = 0; i < stormConnections && !stopped; i++) {
                try {
                    SocketChannel ch = open(0);
                    storm.add(ch);
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException refused) {
                    break; // backlog full or refused: the storm has done what it can
                }
            }
            sleep(1000);
        } finally {
            for (SocketChannel ch : storm) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        sleep(Math.max(0, STORM_PERIOD_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }

    /** Sends up to 100 MB without a newline, until the server resets it. */
    private void endlessLine() throws IOException, InterruptedException {
        try (SocketChannel ch = open(0)) {
            ch.configureBlocking(true);
            ByteBuffer x = ByteBuffer.allocate(64 * 1024);
            Arrays.fill(x.array(), (byte) 'x');
            for (long sent = 0; sent < ENDLESS_LINE_BYTES && !stopped; ) {
                x.clear();
                sent += ch.write(x);
            }
            abort(ch);
        }
    }

    /** One normal exchange, then nothing at all: no reads, no writes, no FIN. */
    private void vanish() throws IOException, InterruptedException {
        try (SocketChannel ch = open(0)) {
            ch.configureBlocking(true);
            ByteBuffer out = ByteBuffer.wrap(LINE);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer in = ByteBuffer.allocate(LINE.length);
            while (in.hasRemaining() && ch.read(in) >= 0) {
                continue;
            }
            if (!Arrays.equals(LINE, in.array())) {
                failures.incrementAndGet();
            }
            sleep(MISBEHAVE_MS);
            abort(ch);
        }
    }

    /** Non-blocking writes of lines until the kernel takes no more for a while (at most 8 MiB). */
    private void pushUntilBlocked(SocketChannel ch) throws IOException, InterruptedException {
        ch.configureBlocking(false);
        ByteBuffer b = ByteBuffer.allocate(LINE.length * 160);
        for (int i = 0; i < 160; i++) {
            b.put(LINE);
        }
        int idle = 0;
        for (long sent = 0; sent < (8 << 20) && idle < 5; ) {
            b.clear();
            int n = ch.write(b);
            sent += n;
            if (n == 0) {
                idle++;
                sleep(20);
            } else {
                idle = 0;
            }
        }
    }

    private SocketChannel open(int bufferBytes) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            if (bufferBytes > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, bufferBytes);
                ch.setOption(StandardSocketOptions.SO_SNDBUF, bufferBytes);
            }
            ch.connect(target);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Closes with RST: what a hostile peer does, and it leaves no TIME_WAIT behind. */
    private static void abort(SocketChannel ch) throws IOException {
        if (ch.isOpen()) {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            ch.close();
        }
    }

    private void sleep(long ms) throws InterruptedException {
        if (stopped) {
            throw new InterruptedException("stopped");
        }
        Thread.sleep(ms); // real time on purpose: the soak is the one place that runs on the wall clock
    }

    private static byte[] line(int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes - 1; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        b[bytes - 1] = '\n';
        return b;
    }
}
