package dev.sluice;

import java.nio.ByteBuffer;

/**
 * What a connection does with its events. One handler instance per connection is the usual shape
 * (listeners take a factory), so a handler may keep per-connection state in plain fields.
 *
 * <p>Thread: every method is called on the connection's loop thread, never re-entrantly: a callback
 * that a call causes (a close, a change of writability) runs in a later phase of the iteration, not
 * inside that call. If a method throws, the connection closes with {@link CloseReason#HANDLER_ERROR}
 * and the loop's {@link LoopErrorHandler} hears about it; other connections are unaffected.
 */
public interface ConnectionHandler {

    /**
     * The connection is established (accepted, or an outbound connect completed). Not called when a
     * connect fails: then only {@link #onClose} is.
     *
     * <p>Thread: event loop only.
     *
     * @param connection the new connection
     */
    default void onOpen(Connection connection) {
    }

    /**
     * Bytes arrived. {@code data} is valid only during this call. Bytes the handler leaves unconsumed
     * (between position and limit on return) are kept and handed back, followed by newer bytes, on the
     * next call; more than {@link ConnectionConfig#maxInputBufferBytes()} of them closes the connection
     * with {@link CloseReason#INPUT_OVERFLOW}.
     *
     * <p>Thread: event loop only.
     *
     * @param connection the connection
     * @param data       the readable bytes, valid only during this call
     */
    void onData(Connection connection, ByteBuffer data);

    /**
     * Thread: event loop only. Pending output crossed a watermark: {@code false} when it rose above the
     * high watermark, {@code true} when it fell back to the low one. Called once per change, in order,
     * false and true alternating: a spell of unwritability that ended before the loop could report it (a
     * write from a task, drained in the same iteration) is still told, false and then true, so a producer
     * on the loop that saw {@link Connection#isWritable()} return false is told when it may write again.
     * Another thread that saw false only because its own writes were still in the loop's queue is not:
     * those bytes can go out without the connection ever becoming unwritable.
     *
     * @param connection the connection
     * @param writable   the new state
     */
    default void onWritabilityChanged(Connection connection, boolean writable) {
    }

    /**
     * The peer closed its output (FIN). No more data will arrive; the connection may still write.
     * The default closes gracefully (pending output is flushed first) and the close reason is
     * {@link CloseReason#PEER_CLOSED}. A handler that answers half-closes overrides this, writes its
     * reply and calls {@link Connection#close()} or {@link Connection#shutdownOutput()}.
     *
     * <p>Thread: event loop only.
     *
     * @param connection the connection
     */
    default void onInputClosed(Connection connection) {
        connection.close();
    }

    /**
     * A deadline passed. Return {@code true} to close the connection with {@link TimeoutKind#closeReason()},
     * or {@code false} to keep it: an idle or write-stall timer then starts a fresh period from now, an
     * absolute deadline is cleared (set a new one if wanted). {@link Heartbeat#onTimeout} is an
     * implementation for protocol heartbeats on the read-idle timeout.
     *
     * <p>Thread: event loop only.
     *
     * @param connection the connection
     * @param kind       which deadline passed
     * @return whether to close the connection
     */
    default boolean onTimeout(Connection connection, TimeoutKind kind) {
        return true;
    }

    /**
     * The connection is closed: its channel is closed and its key cancelled. Called exactly once per
     * connection, including for connects that never opened.
     *
     * <p>Thread: event loop only.
     *
     * @param connection the connection
     * @param reason     why it closed
     * @param cause      the first exception involved, or {@code null}
     */
    default void onClose(Connection connection, CloseReason reason, Throwable cause) {
    }
}
