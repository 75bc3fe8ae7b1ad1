package dev.sluice.samples.soak;

import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopConfig;
import dev.sluice.LoopErrorHandler;
import dev.sluice.codec.FrameTooLongException;
import dev.sluice.codec.LineFramer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server under soak: a line echo on one loop, configured the way a server facing hostile peers
 * should be. Every limit is on, and short enough that a 10-minute run exercises each many times:
 *
 * <ul>
 *   <li>read-idle and write-stall timeouts (silent, vanished, never-reading and slow-reading peers);</li>
 *   <li>a per-line deadline (slowloris, which an idle timeout alone never catches);</li>
 *   <li>a maximum line length, past which the connection is aborted (the endless line);</li>
 *   <li>a hard cap on pending output and a maximum connection count (accept storms).</li>
 * </ul>
 *
 * <p>Thread: {@link #start} and the accessors from any thread; handlers run on the loop.
 */
final class SoakServer implements AutoCloseable {
    static final int MAX_LINE_BYTES = 8 * 1024;
    static final long TIMEOUT_NS = 5_000_000_000L;

    final EventLoop loop;
    final Listener listener;
    private final AtomicLong loopErrors;

    private SoakServer(EventLoop loop, Listener listener, AtomicLong loopErrors) {
        this.loop = loop;
        this.listener = listener;
        this.loopErrors = loopErrors;
    }

    static SoakServer start(int maxConnections) throws IOException {
        AtomicLong errors = new AtomicLong();
        LoopErrorHandler counting = (c, e) -> errors.incrementAndGet();
        EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("soak-server").withErrorHandler(counting));
        ConnectionConfig cc = ConnectionConfig.defaults()
                .withReadIdleTimeoutNs(TIMEOUT_NS)
                .withWriteTimeoutNs(TIMEOUT_NS)
                .withMaxPendingOutputBytes(1 << 20)
                .withSocketBuffers(64 * 1024, 64 * 1024);
        ListenerConfig lc = ListenerConfig.defaults().withMaxConnections(maxConnections).withConnectionConfig(cc);
        try {
            Listener listener = loop.listen(new InetSocketAddress("127.0.0.1", 0), lc, LineEcho::new);
            return new SoakServer(loop, listener, errors);
        } catch (IOException e) {
            loop.close();
            throw e;
        }
    }

    /** Errors the loop survived and reported: handler errors, failed accepts. */
    long loopErrors() {
        return loopErrors.get();
    }

    InetSocketAddress address() {
        return listener.localAddress();
    }

    @Override
    public void close() {
        loop.close();
    }

    /** Echoes lines; aborts on a line over the limit; gives each line {@link #TIMEOUT_NS} to finish. */
    static final class LineEcho implements ConnectionHandler {
        private static final ByteBuffer NEWLINE = ByteBuffer.wrap(new byte[] {'\n'}).asReadOnlyBuffer();

        private final LineFramer framer = new LineFramer(MAX_LINE_BYTES);
        private Connection current;
        private boolean lineOpen;
        private boolean lineCompleted;

        @Override
        public void onData(Connection c, ByteBuffer data) {
            current = c;
            lineCompleted = false;
            try {
                framer.decode(data, this::echo);
            } catch (FrameTooLongException e) {
                c.abort(); // a hostile peer: do not spend a lingering close reading the rest of its line
                return;
            }
            boolean partial = framer.bufferedBytes() > 0;
            if (partial && (!lineOpen || lineCompleted)) {
                c.setDeadline(c.loop().nowNs() + TIMEOUT_NS);
                lineOpen = true;
            } else if (!partial && lineOpen) {
                c.clearDeadline();
                lineOpen = false;
            }
        }

        private void echo(ByteBuffer line) {
            current.writeCopy(line);
            current.writeCopy(NEWLINE.duplicate());
            lineCompleted = true;
        }
    }
}
