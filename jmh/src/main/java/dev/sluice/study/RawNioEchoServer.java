package dev.sluice.study;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The floor for an echo server on the JDK's NIO: one thread, one {@link Selector}, one direct buffer,
 * read and write back inside the selector's callback, no engine at all. It is what any Java server
 * built on {@code SocketChannel} pays before its own code runs (the JDK's {@code select}, its
 * per-call locks and JNI), so next to the C epoll server it says how much of a gap is the JDK's, and
 * next to Sluice how much is the engine's.
 *
 * <p>It is a measuring peer, not a server to copy: no timeouts, no limits. It is correct, though: a
 * write the kernel takes only part of keeps the rest (a buffer made then, for that connection) and stops
 * reading that connection until {@code OP_WRITE} has sent it, so nothing is lost.
 *
 * <p>Thread: {@link #start} and {@link #close} from any thread; everything else on the server's thread.
 */
final class RawNioEchoServer implements AutoCloseable {
    private final Selector selector;
    private final ServerSocketChannel server;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private final Thread thread;
    private final AtomicLong bytesEchoed = new AtomicLong();
    private final AtomicLong partialWrites = new AtomicLong();
    private long echoed; // the loop's own counts, published every select
    private long partial;
    private volatile boolean stop;

    private RawNioEchoServer(InetSocketAddress address) throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(address, 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::run, "raw-nio-echo");
    }

    /**
     * Thread: any. Binds and starts the server's thread.
     *
     * @param address where to listen (port 0 for any)
     * @return the running server
     * @throws IOException when it cannot bind
     */
    static RawNioEchoServer start(InetSocketAddress address) throws IOException {
        RawNioEchoServer s = new RawNioEchoServer(address);
        s.thread.start();
        return s;
    }

    /**
     * Thread: any.
     *
     * @return where it listens
     * @throws IOException when the socket is closed
     */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    /**
     * Thread: any.
     *
     * @return bytes echoed so far, as of the last select
     */
    long bytesEchoed() {
        return bytesEchoed.get();
    }

    /**
     * Thread: any.
     *
     * @return writes the kernel took only part of, as of the last select
     */
    long partialWrites() {
        return partialWrites.get();
    }

    private void run() {
        Consumer<SelectionKey> onKey = this::onReady;
        try {
            while (!stop) {
                selector.select(onKey, 100);
                bytesEchoed.lazySet(echoed);
                partialWrites.lazySet(partial);
            }
        } catch (IOException e) {
            e.printStackTrace();
        } finally {
            for (SelectionKey k : selector.keys()) {
                closeQuietly(k);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void onReady(SelectionKey k) {
        try {
            if (k.isAcceptable()) {
                SocketChannel ch;
                while ((ch = server.accept()) != null) {
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.register(selector, SelectionKey.OP_READ);
                }
                return;
            }
            SocketChannel ch = (SocketChannel) k.channel();
            if (k.isWritable()) {
                ByteBuffer rest = (ByteBuffer) k.attachment();
                echoed += ch.write(rest);
                if (!rest.hasRemaining()) {
                    k.attach(null);
                    k.interestOps(SelectionKey.OP_READ);
                }
                return;
            }
            buffer.clear();
            int n = ch.read(buffer);
            if (n < 0) {
                closeQuietly(k);
                return;
            }
            buffer.flip();
            echoed += ch.write(buffer);
            if (buffer.hasRemaining()) { // the kernel took part: keep the rest, stop reading until it is sent
                partial++;
                ByteBuffer rest = ByteBuffer.allocate(buffer.remaining());
                rest.put(buffer).flip();
                k.attach(rest);
                k.interestOps(SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            closeQuietly(k);
        }
    }

    private static void closeQuietly(SelectionKey k) {
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Thread: any. Stops the thread and closes every socket. */
    @Override
    public void close() {
        stop = true;
        selector.wakeup();
        try {
            thread.join(5_000);
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
