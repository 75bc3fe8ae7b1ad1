package dev.sluice.jmh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The baseline for {@link EchoRoundTripBenchmark}: one plain thread, one blocking socket, no engine.
 * It accepts a single connection and echoes it with blocking reads and writes through one reused
 * direct buffer, so it allocates nothing per message either. Whatever the engine costs beyond this
 * is the price of the selector, the loop's phases and the handler call.
 *
 * <p>Thread: {@link #start} and {@link #close} from any one thread; the echo runs on its own thread.
 */
final class BlockingEchoServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile SocketChannel accepted;

    private BlockingEchoServer(ServerSocketChannel server) {
        this.server = server;
        this.thread = new Thread(this::run, "blocking-echo");
        this.thread.setDaemon(true);
    }

    /**
     * Binds {@code 127.0.0.1:0} and starts the echo thread.
     *
     * @return the running server
     * @throws IOException when binding fails
     */
    static BlockingEchoServer start() throws IOException {
        ServerSocketChannel ssc = ServerSocketChannel.open();
        ssc.bind(new InetSocketAddress("127.0.0.1", 0));
        BlockingEchoServer s = new BlockingEchoServer(ssc);
        s.thread.start();
        return s;
    }

    /**
     * @return the bound address
     * @throws IOException if the listening socket is closed
     */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    /** @return the echo thread's id, for {@link ThreadAllocation} */
    long threadId() {
        return thread.getId();
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        try (SocketChannel ch = server.accept()) {
            accepted = ch;
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            while (ch.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                buf.clear();
            }
        } catch (IOException closed) {
            // close() closed the channel under us: that is how this thread is told to stop.
        }
    }

    /** Closes both sockets and waits for the thread to end. */
    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        SocketChannel ch = accepted;
        if (ch != null) {
            ch.close();
        }
        thread.join(10_000);
    }
}
