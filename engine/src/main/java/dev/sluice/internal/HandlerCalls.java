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
    private final SocketConnection c;
    private final ConnectionHandler handler;
    private final Loop loop;

    HandlerCalls(SocketConnection c, ConnectionHandler handler, Loop loop) {
        this.c = c;
        this.handler = handler;
        this.loop = loop;
    }

    Class<?> handlerClass() {
        return handler.getClass();
    }

    /** @return {@code false} when onOpen threw (the connection is closed) */
    boolean onOpen() {
        try {
            handler.onOpen(c);
            return true;
        } catch (Throwable t) {
            failed(t);
            return false;
        }
    }

    /** @return {@code false} when onData threw (the connection is closed) */
    boolean onData(ByteBuffer buf) {
        try {
            handler.onData(c, buf);
            return true;
        } catch (Throwable t) {
            failed(t);
            return false;
        }
    }

    void onInputClosed() {
        try {
            handler.onInputClosed(c);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** @return whether to close, or {@code null} when onTimeout threw (the connection is closed) */
    Boolean onTimeout(TimeoutKind kind) {
        try {
            return handler.onTimeout(c, kind);
        } catch (Throwable t) {
            failed(t);
            return null;
        }
    }

    /** @return {@code false} when onWritabilityChanged threw (the connection is closed) */
    boolean onWritabilityChanged(boolean writable) {
        try {
            handler.onWritabilityChanged(c, writable);
            return true;
        } catch (Throwable t) {
            failed(t);
            return false;
        }
    }

    /** The last callback: what it throws is reported and counted, and there is nothing left to close. */
    void onClose(CloseReason reason, Throwable cause) {
        try {
            handler.onClose(c, reason, cause);
        } catch (Throwable t) {
            Fatal.rethrowIfFatal(t);
            loop.counters.inc(Counters.HANDLER_ERRORS);
            loop.report(c, t);
        }
    }

    private void failed(Throwable t) {
        Fatal.rethrowIfFatal(t);
        loop.counters.inc(Counters.HANDLER_ERRORS);
        c.life.closeNow(CloseReason.HANDLER_ERROR, t);
        loop.report(c, t);
    }
}
