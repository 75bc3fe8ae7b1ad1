package dev.sluice.internal;

import dev.sluice.CloseReason;

import java.io.IOException;

/**
 * A connection's states and every path out of them: CONNECTING → OPEN → (CLOSING → LINGERING) →
 * CLOSED, with half-closes on the way.
 *
 * <p>CLOSING flushes pending output, and LINGERING has sent FIN and discards input until the peer's FIN,
 * both within the close timeout from {@code close()}. A linger also ends {@link #LINGER_NS} after the
 * peer last sent anything: closing a socket with
 * unread input makes Linux send RST, and an RST can destroy data the peer has not read yet (RFC 1122
 * §4.2.2.13; Apache's "lingering close" exists for the same reason). The first reason a close starts
 * with is the one {@code onClose} reports; an error that ends a graceful close early becomes its cause.
 * The one exception is {@link CloseReason#CLOSE_TIMEOUT}: the engine gave up on the graceful close and
 * reset the connection, and the handler needs to know that output was lost.
 *
 * <p>Thread: loop only.
 */
final class Lifecycle {
    enum State { CONNECTING, OPEN, CLOSING, LINGERING, CLOSED }

    /** How long a lingering close waits for the peer's FIN before closing anyway. */
    static final long LINGER_NS = 2_000_000_000L;

    private final SocketConnection c;
    private final Loop loop;
    private State state = State.CONNECTING;
    private boolean inputClosed;
    private boolean outputShutdownRequested;
    private boolean outputShutdown;
    private boolean closeDelivered;
    private CloseReason closeReason;
    private Throwable closeCause;
    private CloseReason pendingCloseReason;

    Lifecycle(SocketConnection c, Loop loop) {
        this.c = c;
        this.loop = loop;
    }

    State state() {
        return state;
    }

    boolean is(State s) {
        return state == s;
    }

    boolean inputClosed() {
        return inputClosed;
    }

    /** @return whether {@code write} may queue: open or connecting, and no close or half-close asked for */
    boolean acceptsWrites() {
        return (state == State.OPEN || state == State.CONNECTING) && pendingCloseReason == null
                && !outputShutdownRequested;
    }

    void becameOpen() {
        state = State.OPEN;
    }

    /** After onOpen: a close or shutdown requested before the connect completed can proceed now. */
    void afterOpen() {
        if (pendingCloseReason != null && state == State.OPEN) {
            closeGracefully(pendingCloseReason);
        } else if (outputShutdownRequested && c.outputEmpty() && state == State.OPEN) {
            doShutdownOutput();
        }
    }

    void closeGracefully(CloseReason reason) {
        if (state == State.CONNECTING) {
            if (reason == CloseReason.SHUTDOWN || c.outputEmpty() || !c.connectStarted()) {
                closeNow(reason, null);
            } else {
                pendingCloseReason = reason; // flush what was queued once connected
            }
            return;
        }
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        pendingCloseReason = reason;
        c.deadlines.closeStarted(loop.nowNs());
        c.updateInterest();
        c.armTimer();
        if (c.outputEmpty()) {
            startLinger();
        } else {
            c.flushLater();
        }
    }

    /** Everything queued reached the kernel: a close or half-close waiting for that goes on. */
    void onOutputDrained() {
        if (state == State.CLOSING) {
            startLinger();
        } else if (outputShutdownRequested && !outputShutdown && state == State.OPEN) {
            doShutdownOutput();
        }
    }

    private void startLinger() {
        if (inputClosed) {
            if (!outputShutdown) {
                c.transport().beforeClose(); // TLS: close_notify, if the socket takes it now
            }
            closeNow(pendingReason(), null);
            return;
        }
        if (!outputShutdown) {
            try {
                c.transport().shutdownOutput();
            } catch (IOException e) {
                closeNow(pendingReason(), e);
                return;
            }
            outputShutdown = true;
        }
        state = State.LINGERING;
        c.deadlines.lingerStarted(loop.nowNs());
        c.updateInterest();
        c.armTimer();
        // Draining happens only on OP_READ readiness, never here: a close can be called from inside any
        // callback that holds the loop's shared read buffer (onData, onDatagram), and draining reads into
        // that buffer. Our own held input, if onData is reading it right now, is released when it returns.
        c.releaseInput();
    }

    /** The peer's FIN (or an error) ended the lingering close. */
    void lingerDone() {
        closeNow(pendingReason(), null);
    }

    CloseReason pendingReason() {
        return pendingCloseReason != null ? pendingCloseReason : CloseReason.LOCAL;
    }

    /** The reason {@code close()} starts with. */
    CloseReason localCloseReason() {
        return inputClosed ? CloseReason.PEER_CLOSED : CloseReason.LOCAL;
    }

    void shutdownOutput() {
        if (outputShutdownRequested || state == State.CLOSED) {
            return;
        }
        outputShutdownRequested = true;
        if (state == State.OPEN && c.outputEmpty()) {
            doShutdownOutput();
        }
    }

    private void doShutdownOutput() {
        try {
            c.transport().shutdownOutput();
        } catch (IOException e) {
            closeNow(IoErrors.reasonFor(e), e);
            return;
        }
        outputShutdown = true;
        if (inputClosed) {
            closeNow(CloseReason.PEER_CLOSED, null);
        }
    }

    /** The peer's FIN: closes if our side is done too, else tells the handler. */
    void onPeerEof() {
        inputClosed = true;
        c.updateInterest();
        c.armTimer();
        if (outputShutdown) {
            closeNow(CloseReason.PEER_CLOSED, null);
        } else {
            HandlerCalls.onInputClosed(c);
        }
    }

    void abort() {
        if (state == State.CLOSED) {
            return;
        }
        c.resetOnClose();
        closeNow(CloseReason.LOCAL, null);
    }

    /** Closes at once and defers onClose; see the class comment for which reason is reported. */
    void closeNow(CloseReason reason, Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        if (pendingCloseReason != null && reason != CloseReason.CLOSE_TIMEOUT) {
            reason = pendingCloseReason;
        }
        state = State.CLOSED;
        closeReason = reason;
        closeCause = cause;
        c.releaseEverything();
        loop.counters.inc(Counters.CLOSES + reason.ordinal());
        JfrEvents.connectionClosed(loop.config.name(), c.id(), reason, cause);
        loop.defer(c);
    }

    /** @return whether onClose is due and not yet delivered, and marks it delivered */
    boolean takeCloseDelivery() {
        if (state != State.CLOSED || closeDelivered) {
            return false;
        }
        closeDelivered = true;
        return true;
    }

    CloseReason closeReason() {
        return closeReason;
    }

    Throwable closeCause() {
        return closeCause;
    }
}
