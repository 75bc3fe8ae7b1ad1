package dev.sluice.internal;

import dev.sluice.CloseReason;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connection's read side: reads within the budget, hands the bytes to {@code onData}, keeps what the
 * handler leaves unconsumed ({@link InboundBuffer}), pauses and resumes, hands held input back after a
 * pause, and drains (and discards) input while a graceful close lingers.
 *
 * <p>Thread: loop only.
 */
final class ReadSide {
    private final SocketConnection c; // the loop and the config through it: 8 bytes less per connection
    private final InboundBuffer in;
    private boolean userPaused;
    private boolean redeliver;

    ReadSide(SocketConnection c) {
        this.c = c;
        this.in = new InboundBuffer(c);
    }

    boolean userPaused() {
        return userPaused;
    }

    void setUserPaused(boolean paused) {
        userPaused = paused;
    }

    boolean holdsBytes() {
        return in.holdsBytes();
    }

    /**
     * Reads and delivers until the socket is drained, the budget is spent or reading stops. Input the
     * transport still holds after that (TLS records already read) is read again in the next flush
     * phase: the kernel will not report it.
     */
    void onReadable(Transport t, long nowNs) {
        readWithinBudget(t, nowNs);
        if (t.hasBufferedInput() && c.readingEnabled()) {
            c.readAgainLater();
        }
    }

    private void readWithinBudget(Transport t, long nowNs) {
        int budget = c.config().readBudgetBytes();
        while (budget > 0 && c.readingEnabled()) {
            ByteBuffer buf;
            int n;
            int offered;
            try {
                if (in.buffer() == null) {
                    buf = c.eventLoop().readBuffer;
                    buf.clear();
                    if (budget < buf.capacity()) {
                        buf.limit(budget);
                    }
                    offered = buf.remaining();
                    n = t.read(buf);
                    buf.flip();
                } else {
                    if (!in.prepareRead()) {
                        inputOverflow();
                        return;
                    }
                    buf = in.buffer();
                    offered = buf.remaining();
                    try {
                        n = t.read(buf);
                    } finally {
                        in.afterRead();
                    }
                }
            } catch (IOException e) {
                c.life.closeNow(IoErrors.reasonFor(e), e);
                return;
            }
            c.eventLoop().counters.inc(Counters.READS);
            if (n < 0) {
                c.life.onPeerEof();
                return;
            }
            if (n == 0) {
                return;
            }
            c.eventLoop().counters.add(Counters.BYTES_READ, n);
            c.deadlines.lastReadNs = nowNs;
            budget -= n;
            deliver(buf);
            if (n < offered) {
                return; // the socket is drained; don't spend a syscall to learn it again
            }
        }
    }

    /** Hands bytes to the handler; keeps what it leaves unconsumed, within the input cap. */
    private void deliver(ByteBuffer buf) {
        c.eventLoop().deliveringTo = c;
        boolean ok;
        try {
            ok = HandlerCalls.onData(c, buf);
        } finally {
            c.eventLoop().deliveringTo = null;
        }
        if (!ok || !c.life.is(Lifecycle.State.OPEN)) {
            // The handler closed the connection during the call, or threw: reading is over, so what it
            // left unconsumed is dropped, and the held input a close could not release is released now.
            in.release();
            return;
        }
        if (buf == c.eventLoop().readBuffer) {
            if (buf.hasRemaining() && !in.keep(buf)) {
                inputOverflow();
            }
        } else {
            in.afterDelivery();
        }
    }

    private void inputOverflow() {
        c.life.closeNow(CloseReason.INPUT_OVERFLOW,
                new IOException("more than " + in.maxBytes() + " bytes of unconsumed input"));
    }

    /** Asks for the held input to be handed back at the end of the iteration (after a resume). */
    void redeliverLater() {
        if (in.holdsBytes()) {
            redeliver = true;
            c.eventLoop().defer(c);
        }
    }

    /** The deferred half of {@link #redeliverLater()}. */
    void deliverHeldIfDue() {
        if (redeliver) {
            redeliver = false;
            if (c.readingEnabled() && in.holdsBytes()) {
                deliver(in.buffer());
            }
        }
    }

    /**
     * Reads and discards within the budget while lingering. At end of stream or on an error the close
     * completes: our FIN went out, so a reset now loses nothing of ours.
     */
    void drainLingering(Transport t, long nowNs) {
        ByteBuffer buf = c.eventLoop().readBuffer;
        int budget = c.config().readBudgetBytes();
        try {
            while (budget > 0) {
                buf.clear();
                if (budget < buf.capacity()) {
                    buf.limit(budget);
                }
                int offered = buf.remaining();
                int n = t.read(buf);
                c.eventLoop().counters.inc(Counters.READS);
                if (n < 0) {
                    c.life.lingerDone();
                    return;
                }
                c.eventLoop().counters.add(Counters.BYTES_READ, n);
                if (n > 0) {
                    c.deadlines.lingerInput(nowNs);
                }
                budget -= n;
                if (n < offered) {
                    return;
                }
            }
        } catch (IOException e) {
            c.life.lingerDone();
        }
    }

    /** Drops held input, unless the handler is reading it right now ({@link #deliver} releases it then). */
    void releaseUnlessDelivering() {
        if (c.eventLoop().deliveringTo != c) {
            in.release();
        }
    }
}
