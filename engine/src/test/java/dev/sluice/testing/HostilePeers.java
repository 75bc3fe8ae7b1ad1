package dev.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Adversarial peers for reliability tests: the clients that hurt other event-loop servers, each one a
 * small object a test drives. All of them connect to a loopback address only, a fixture opens at most
 * {@code maxSockets} sockets, and a peer sends only when the test tells it to (at most 100 MB for the
 * endless line), so no test can turn one into an unbounded load. Closing the fixture closes every socket
 * it opened.
 *
 * <p>Nothing here sleeps. A behaviour defined by time ("one byte a second", "a byte every few seconds")
 * is a step the test calls once per interval of <em>its</em> clock: with a {@link dev.sluice.ManualClock}
 * the test advances the loop's time and calls the step, so the outcome (a timeout) lands at an exact,
 * repeatable instant. (The samples' soak has the same peers on the wall clock, in
 * {@code dev.sluice.samples.soak.HostileClients}.)
 *
 * <p>Thread: a peer is used by one thread at a time; the fixture's bookkeeping is thread-safe.
 */
public final class HostilePeers implements AutoCloseable {
    /** Socket buffers of peers that do not read: small, so backpressure shows after kilobytes. */
    public static final int SMALL_BUFFER = 16 * 1024;
    private static final int CHUNK = 16 * 1024;

    private final InetSocketAddress target;
    private final int maxSockets;
    private final List<SocketChannel> sockets = new ArrayList<>();

    /**
     * @param target     the server; must be a loopback address
     * @param maxSockets the most sockets this fixture may open
     */
    public HostilePeers(InetSocketAddress target, int maxSockets) {
        if (!target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("hostile peers only talk to loopback, not " + target);
        }
        this.target = target;
        this.maxSockets = maxSockets;
    }

    /** Connects and then sends nothing, ever, and never closes until the fixture does. */
    public SocketChannel silent() throws IOException {
        return open(0);
    }

    /** Sends (when told to) but never reads. */
    public NeverReader neverReader() throws IOException {
        return new NeverReader(open(SMALL_BUFFER));
    }

    /** Never reads except one byte per {@link SlowReader#readOneByte()} call: "one byte a second". */
    public SlowReader slowReader() throws IOException {
        return new SlowReader(open(SMALL_BUFFER));
    }

    /** Sends {@code request} one byte per {@link Slowloris#sendOneByte()} call: "a byte every few seconds". */
    public Slowloris slowloris(byte[] request) throws IOException {
        return new Slowloris(open(0), request);
    }

    /**
     * Writes {@code data}, half-closes (FIN) and keeps reading until the server closes: returns what it
     * read. The writer runs on its own thread, so the echo never deadlocks against the writes.
     *
     * @param data     what to send before the FIN
     * @param maxReply the most bytes to accept back
     */
    public byte[] halfCloseAndKeepReading(byte[] data, int maxReply) throws Exception {
        SocketChannel ch = open(0);
        ch.configureBlocking(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> w = writer.submit(() -> {
                Bytes.writeFully(ch, data);
                ch.shutdownOutput();
                return null;
            });
            byte[] got = Bytes.readToEof(ch, maxReply);
            w.get(20, TimeUnit.SECONDS);
            return got;
        } finally {
            writer.shutdownNow();
        }
    }

    /**
     * Opens {@code count} connections from {@code threads} threads as fast as connect allows, and holds
     * them open until the fixture closes (they then close abortively: no TIME_WAIT left behind).
     *
     * @return the connections, some of which the server may have reset at once
     */
    public List<SocketChannel> acceptStorm(int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<SocketChannel>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                all.add(pool.submit(() -> {
                    SocketChannel ch = open(0);
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                    return ch;
                }));
            }
            List<SocketChannel> out = new ArrayList<>();
            for (Future<SocketChannel> f : all) {
                out.add(f.get(30, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Sends a line that never ends: up to {@code totalBytes} of {@code 'x'} without a {@code '\n'}, in
     * blocking writes, until the server resets the connection or the total is sent.
     *
     * @return how much was sent, and the failure that stopped it (null if it sent everything)
     */
    public LongLineResult endlessLine(long totalBytes) throws IOException {
        SocketChannel ch = open(0);
        ch.configureBlocking(true);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        while (chunk.hasRemaining()) {
            chunk.put((byte) 'x');
        }
        long sent = 0;
        try {
            while (sent < totalBytes) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), totalBytes - sent));
                while (chunk.hasRemaining()) {
                    sent += ch.write(chunk);
                }
            }
        } catch (IOException stopped) {
            return new LongLineResult(sent, stopped);
        }
        return new LongLineResult(sent, null);
    }

    /** What {@link #endlessLine} managed to send. */
    public record LongLineResult(long sentBytes, IOException failure) {
    }

    /**
     * Exchanges {@code message} with an echo server once (send, read the echo back) and then disappears:
     * no more reads, no writes, no FIN, no RST, as if its host had lost power. Only the server's deadlines
     * can end this connection. (A real vanished host also stops ACKing; on loopback the kernel still ACKs,
     * which changes nothing the server can see before its deadline.)
     *
     * @return the socket, which the fixture closes at the end
     */
    public SocketChannel exchangeThenVanish(byte[] message) throws IOException {
        SocketChannel ch = open(0);
        ch.configureBlocking(true);
        Bytes.writeFully(ch, message);
        byte[] echo = Bytes.readExactly(ch, message.length);
        if (!Arrays.equals(echo, message)) {
            throw new IOException("echo differs before vanishing");
        }
        return ch;
    }

    /** A connected blocking socket with the given receive buffer (0 = system default), tracked. */
    private SocketChannel open(int receiveBufferBytes) throws IOException {
        synchronized (sockets) {
            if (sockets.size() >= maxSockets) {
                throw new IllegalStateException("hostile peer fixture limited to " + maxSockets + " sockets");
            }
        }
        SocketChannel ch = SocketChannel.open();
        try {
            if (receiveBufferBytes > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes); // before connect: sets the window scale
            }
            ch.connect(target);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        synchronized (sockets) {
            sockets.add(ch);
        }
        return ch;
    }

    /** Sockets opened so far. */
    public int opened() {
        synchronized (sockets) {
            return sockets.size();
        }
    }

    /** Closes every socket; those with unread input send RST, which is what a hostile peer would do. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        synchronized (sockets) {
            for (SocketChannel ch : sockets) {
                try {
                    ch.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The byte a pattern sender puts at stream offset {@code offset}; lets a reader check order. */
    public static byte patternByte(long offset) {
        return (byte) ((offset * 0x9E3779B97F4A7C15L) >>> 56);
    }

    /**
     * A peer that sends a known pattern (see {@link #patternByte}) and never reads. Non-blocking, so a
     * test driving a manual loop on its own thread can interleave {@link #offer()} with loop iterations.
     */
    public static class NeverReader {
        final SocketChannel channel;
        private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        private long sent;

        NeverReader(SocketChannel channel) throws IOException {
            this.channel = channel;
            // A small send buffer too, so that flow control stops it after kilobytes, not megabytes.
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SMALL_BUFFER);
            channel.configureBlocking(false);
        }

        /**
         * Writes up to one chunk of the pattern without blocking.
         *
         * @return bytes the kernel took: 0 once TCP flow control pushes back
         */
        public int offer() {
            chunk.clear();
            for (int i = 0; i < chunk.capacity(); i++) {
                chunk.put(patternByte(sent + i));
            }
            chunk.flip();
            try {
                int n = channel.write(chunk);
                sent += n;
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Bytes sent so far. */
        public long sent() {
            return sent;
        }

        /** Resets the connection (RST, via {@code SO_LINGER 0}), whatever the server is doing. */
        public void reset() throws IOException {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            channel.close();
        }

        /** The socket. */
        public SocketChannel channel() {
            return channel;
        }
    }

    /** A {@link NeverReader} that reads exactly one byte per {@link #readOneByte()} call. */
    public static final class SlowReader extends NeverReader {
        private final ByteBuffer one = ByteBuffer.allocate(1);
        private long read;

        SlowReader(SocketChannel channel) throws IOException {
            super(channel);
        }

        /**
         * Reads one byte if one is there, without blocking.
         *
         * @return the byte (0..255), -1 if none had arrived, -2 at end of stream
         */
        public int readOneByte() throws IOException {
            one.clear();
            int n = channel.read(one);
            if (n < 0) {
                return -2;
            }
            if (n == 0) {
                return -1;
            }
            read++;
            return one.get(0) & 0xff;
        }

        /** Bytes read so far. */
        public long read() {
            return read;
        }
    }

    /** Sends a request one byte per {@link #sendOneByte()} call and never finishes it. */
    public static final class Slowloris {
        private final SocketChannel channel;
        private final byte[] request;
        private int next;

        Slowloris(SocketChannel channel, byte[] request) {
            this.channel = channel;
            this.request = request.clone();
        }

        /**
         * Sends the next byte of the request (cycling through it, so it never runs out).
         *
         * @throws IOException once the server has closed the connection
         */
        public void sendOneByte() throws IOException {
            ByteBuffer b = ByteBuffer.wrap(request, next % request.length, 1);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            next++;
        }

        /** Bytes sent so far. */
        public int sent() {
            return next;
        }

        /** The socket. */
        public SocketChannel channel() {
            return channel;
        }
    }
}
