package dev.sluice;

import javax.net.ssl.SSLSession;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;

/**
 * One TCP connection owned by one {@link EventLoop} for its whole life.
 *
 * <p>Thread: each method's javadoc says which thread may call it. Methods marked "any" hop onto the
 * loop through its task queue when called from another thread, so writes from a foreign thread keep
 * their order with each other and never interleave inside another write. The queue is bounded: a
 * write from another thread that finds it full returns {@code false}, and {@link #close()},
 * {@link #shutdownOutput()} and {@link #abort()} throw {@link java.util.concurrent.RejectedExecutionException};
 * both are counted in {@link LoopStats#tasksRejected()}. A method marked "event loop only" throws
 * {@link IllegalStateException} on any other thread.
 */
public interface Connection {

    /**
     * Queues {@code buffer} for writing; the engine owns it from now on and writes its remaining bytes.
     * Writing happens in the flush phase of the loop iteration, with a gathering write of everything
     * queued. Returns {@code false}, and drops nothing silently, when the connection is closing or
     * closed: the drop is counted in {@link LoopStats#writesDropped()}.
     *
     * <p>Thread: any. Off the loop thread the write is queued as a task and this returns {@code true};
     * its bytes count in {@link #pendingOutputBytes()} and {@link #isWritable()} from that moment. It
     * returns {@code false}, queuing nothing, when the loop's task queue is full or the loop has ended.
     *
     * @param buffer the bytes to write; do not touch it afterwards
     * @return whether the bytes were queued
     */
    boolean write(ByteBuffer buffer);

    /**
     * Copies the remaining bytes of {@code src} into engine-owned pooled buffers and queues them;
     * {@code src} is left with its position at its limit and may be reused at once. This is the
     * allocation-free way to echo bytes from {@link ConnectionHandler#onData}.
     *
     * <p>Thread: event loop only.
     *
     * @param src the bytes to copy
     * @return whether the bytes were queued (see {@link #write(ByteBuffer)})
     */
    boolean writeCopy(ByteBuffer src);

    /**
     * Queues {@code count} bytes of {@code file} starting at {@code position}, in order with the writes
     * before and after it. When the queue reaches them they are written with
     * {@link FileChannel#transferTo} ({@code sendfile(2)} on Linux): the bytes go from the page cache to
     * the socket without entering the Java heap, and a partial transfer resumes where it stopped, like
     * a partial write.
     *
     * <p>Queued file bytes hold no memory, but they are pending output like any other: they count in
     * {@link #pendingOutputBytes()}, the watermarks and {@link ConnectionConfig#maxPendingOutputBytes()}.
     * Send a large file in pieces while {@link #isWritable()}, continuing from
     * {@link ConnectionHandler#onWritabilityChanged}, or raise the limits for the connection.
     *
     * <p>The engine neither closes the file nor moves its position. The caller keeps it open until
     * its bytes are written (pending output has fallen below what was queued after them) or the
     * connection has closed ({@link ConnectionHandler#onClose}), and then closes it. If the file is
     * shorter than {@code position + count} when its turn comes, or cannot be read, the connection
     * closes with {@link CloseReason#IO_ERROR} and the exception as cause.
     *
     * <p>Thread: any. Off the loop thread the write is queued as a task and this returns {@code true}
     * (or {@code false} when the loop's task queue is full or the loop has ended), as for {@link #write}.
     *
     * @param file     a file open for reading
     * @param position where the bytes start in the file
     * @param count    how many bytes to send
     * @return whether the bytes were queued (see {@link #write(ByteBuffer)})
     * @throws IllegalArgumentException if {@code file} is null or {@code position} or {@code count} is negative
     */
    boolean writeFile(FileChannel file, long position, long count);

    /**
     * Graceful close: stop reading, flush pending output, then close. {@link ConnectionHandler#onClose}
     * follows later. Reason {@link CloseReason#LOCAL}, or {@link CloseReason#PEER_CLOSED} if the peer had
     * already closed its output. The flush is bounded by {@link ConnectionConfig#closeTimeoutNs()}: a
     * peer that stops reading gets the connection reset then, with {@link CloseReason#CLOSE_TIMEOUT}.
     * Idempotent.
     *
     * <p>Thread: any.
     */
    void close();

    /**
     * Half-close: after pending output is flushed, send FIN ({@code shutdownOutput}); reading goes on.
     * The connection closes when the peer closes its side too.
     *
     * <p>Thread: any.
     */
    void shutdownOutput();

    /**
     * Abortive close: discard pending output and reset the connection (RST, via {@code SO_LINGER 0}).
     * Reason {@link CloseReason#LOCAL}.
     *
     * <p>Thread: any.
     */
    void abort();

    /**
     * Stops reading until {@link #resumeReading()}; bytes wait in the kernel and TCP flow control
     * pushes back on the peer.
     *
     * <p>Thread: event loop only.
     */
    void pauseReading();

    /**
     * Resumes reading after {@link #pauseReading()}. Reading may still be paused by backpressure
     * (see {@link ConnectionConfig#pauseReadWhenUnwritable()}). Input the handler left unconsumed before
     * the pause is handed to {@link ConnectionHandler#onData} again at the end of this loop iteration,
     * without waiting for new bytes (never inside this call).
     *
     * <p>Thread: event loop only.
     */
    void resumeReading();

    /**
     * Whether pending output is at or below the high watermark (see
     * {@link ConnectionHandler#onWritabilityChanged}). Output the kernel took at once does not count: a
     * connection goes unwritable only on output the socket refused. Writes from other threads still on
     * their way to the loop count.
     *
     * <p>Thread: any; off the loop thread it is a moment's reading.
     *
     * @return the writability
     */
    boolean isWritable();

    /**
     * Bytes queued but not yet accepted by the kernel, including writes from other threads still on
     * their way to the loop.
     *
     * <p>Thread: any; off the loop thread it is a moment's reading.
     *
     * @return pending output in bytes
     */
    long pendingOutputBytes();

    /**
     * Whether the connection is open and not closing.
     *
     * <p>Thread: event loop only.
     *
     * @return whether it is open
     */
    boolean isOpen();

    /**
     * Sets an absolute deadline on the loop clock (Go's {@code SetDeadline} model): when the clock reaches
     * it, {@link ConnectionHandler#onTimeout} is called with {@link TimeoutKind#DEADLINE}. Setting it
     * again moves it, later or earlier.
     *
     * <p>Thread: event loop only.
     *
     * @param deadlineNs the deadline in loop-clock nanoseconds; one in the past fires at the next timer phase
     * @throws IllegalArgumentException when it is 2^62 ns (146 years) or more from now, which a wrapping
     *         nanosecond clock cannot tell from the past
     */
    void setDeadline(long deadlineNs);

    /**
     * Sets the absolute deadline to {@code delay} from the loop's now (see {@link #setDeadline(long)}).
     *
     * <p>Thread: event loop only.
     *
     * @param delay how long from now, not negative
     */
    default void setDeadlineAfter(Duration delay) {
        setDeadline(loop().nowNs() + ConnectionConfig.nanos(delay, "deadline delay"));
    }

    /**
     * Removes the absolute deadline.
     *
     * <p>Thread: event loop only.
     */
    void clearDeadline();

    /**
     * Changes the read-idle timeout; the idle period restarts now. 0 turns it off.
     *
     * <p>Thread: event loop only.
     *
     * @param timeoutNs the timeout in nanoseconds
     */
    void setReadIdleTimeoutNs(long timeoutNs);

    /**
     * {@link #setReadIdleTimeoutNs(long)} with a {@link Duration}.
     *
     * <p>Thread: event loop only.
     *
     * @param timeout the timeout, {@link Duration#ZERO} for none
     */
    default void setReadIdleTimeout(Duration timeout) {
        setReadIdleTimeoutNs(ConnectionConfig.nanos(timeout, "read-idle timeout"));
    }

    /**
     * Changes the write-stall timeout. 0 turns it off.
     *
     * <p>Thread: event loop only.
     *
     * @param timeoutNs the timeout in nanoseconds
     */
    void setWriteTimeoutNs(long timeoutNs);

    /**
     * {@link #setWriteTimeoutNs(long)} with a {@link Duration}.
     *
     * <p>Thread: event loop only.
     *
     * @param timeout the timeout, {@link Duration#ZERO} for none
     */
    default void setWriteTimeout(Duration timeout) {
        setWriteTimeoutNs(ConnectionConfig.nanos(timeout, "write timeout"));
    }

    /**
     * The loop that owns this connection.
     *
     * <p>Thread: any.
     *
     * @return the loop
     */
    EventLoop loop();

    /**
     * The peer's address, or {@code null} before an outbound connect completes.
     *
     * <p>Thread: any.
     *
     * @return the remote address
     */
    SocketAddress remoteAddress();

    /**
     * A number unique within the loop, for logs.
     *
     * <p>Thread: any.
     *
     * @return the connection id
     */
    long id();

    /**
     * The TLS session once the handshake has completed (from {@code onOpen} on): the protocol, the
     * cipher suite, the peer's certificates. {@code null} on a plain connection.
     *
     * <p>Thread: event loop only.
     *
     * @return the session, or {@code null} without TLS
     */
    SSLSession tlsSession();

    /**
     * The protocol agreed by ALPN ({@link TlsConfig#applicationProtocols()}), once the handshake has
     * completed.
     *
     * <p>Thread: event loop only.
     *
     * @return the protocol, {@code ""} when none was agreed, or {@code null} without TLS
     */
    String tlsApplicationProtocol();
}
