package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionHandler;
import dev.sluice.TimeoutKind;

import java.nio.ByteBuffer;

/**
 * Every call from the engine into a connection's {@link ConnectionHandler}, with one rule for what it
 * throws: the connection closes with {@link CloseReason#HANDLER_ERROR}, the loop's error handler hears
 * of it, and other connections go on; a {@link VirtualMachineError} is not a handler bug and passes
 * ({@link Fatal}). Callbacks are only ever called from the loop's phases, never inside a call the
 * handler made, so they never re-enter.
 *
 * <p>Thread: loop only.
 */
final class HandlerCalls {
    // Static: the calls need only the connection, which holds its handler; an object per connection
    // for them would be 24 more bytes on every idle connection.
    private HandlerCalls() {
    }

    /** @return {@code false} when onOpen threw (the connection is closed) */
    static boolean onOpen(SocketConnection c) {
        try {
            c.handler.onOpen(c);
            return true;
        } catch (Throwable t) {
            failed(c, t);
            return false;
        }
    }

    /** @return {@code false} when onData threw (the connection is closed) */
    static boolean onData(SocketConnection c, ByteBuffer buf) {
        try {
            c.handler.onData(c, buf);
            return true;
        } catch (Throwable t) {
            failed(c, t);
            return false;
        }
    }

    static void onInputClosed(SocketConnection c) {
        try {
            c.handler.onInputClosed(c);
        } catch (Throwable t) {
            failed(c, t);
        }
    }

    /** @return whether to close, or {@code null} when onTimeout threw (the connection is closed) */
    static Boolean onTimeout(SocketConnection c, TimeoutKind kind) {
        try {
            return c.handler.onTimeout(c, kind);
        } catch (Throwable t) {
            failed(c, t);
            return null;
        }
    }

    /** @return {@code false} when onWritabilityChanged threw (the connection is closed) */
    static boolean onWritabilityChanged(SocketConnection c, boolean writable) {
        try {
            c.handler.onWritabilityChanged(c, writable);
            return true;
        } catch (Throwable t) {
            failed(c, t);
            return false;
        }
    }

    /** The last callback: what it throws is reported and counted, and there is nothing left to close. */
    static void onClose(SocketConnection c, CloseReason reason, Throwable cause) {
        try {
            c.handler.onClose(c, reason, cause);
        } catch (Throwable t) {
            Fatal.rethrowIfFatal(t);
            c.eventLoop().counters.inc(Counters.HANDLER_ERRORS);
            c.eventLoop().report(c, t);
        }
    }

    private static void failed(SocketConnection c, Throwable t) {
        Fatal.rethrowIfFatal(t);
        c.eventLoop().counters.inc(Counters.HANDLER_ERRORS);
        c.life.closeNow(CloseReason.HANDLER_ERROR, t);
        c.eventLoop().report(c, t);
    }
}
