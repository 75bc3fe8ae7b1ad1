package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.TimeoutKind;

import java.net.SocketTimeoutException;

/**
 * A connection's deadlines on the loop clock, and the one timer-heap entry that serves them all:
 * connect, TLS handshake, read-idle, write-stall, close (flushing before a graceful close), linger (waiting for the
 * peer's FIN) and the absolute deadline. Reads and write progress only store a time here; the entry
 * sits at or before the earliest deadline that applies and re-checks when it fires, so a busy
 * connection does not touch the heap per read. All comparisons are {@code a - b <= 0}, safe across
 * {@code nanoTime} wrap-around, and a deadline is due at its nanosecond, never one early.
 *
 * <p>Thread: loop only.
 */
final class Deadlines extends TimerNode {
    /** A deadline this far from now cannot be compared on a clock that wraps: refused. */
    static final long MAX_DISTANCE_NS = 1L << 62;

    // One of these per connection, idle ones included: only what varies per connection is a field
    // (the timeouts that cannot change come from the connection's config, the heap and the counters from
    // its loop). 104 bytes with compressed oops, down from 152.
    private final SocketConnection c;
    private long readIdleTimeoutNs;
    private long writeTimeoutNs;
    /** While connecting: when the connect times out, or once the TLS handshake began, when it does. */
    private long openingAtNs;
    private boolean openingArmed;
    private boolean handshaking;
    private boolean hasAbsolute;
    private long closeAtNs;
    private long lingerUntilNs;
    long lastReadNs;
    long lastWriteProgressNs;
    private long absoluteNs;

    Deadlines(SocketConnection c, long readIdleTimeoutNs, long writeTimeoutNs) {
        this.c = c;
        this.readIdleTimeoutNs = readIdleTimeoutNs;
        this.writeTimeoutNs = writeTimeoutNs;
    }

    /** The entry fired: finds which deadlines are due, acts on each, and re-arms for the next. */
    @Override
    protected void onExpire(long nowNs) {
        Lifecycle life = c.life;
        if (life.is(Lifecycle.State.CLOSED)) {
            return;
        }
        Counters counters = c.eventLoop().counters;
        if (life.is(Lifecycle.State.CONNECTING) && openingArmed && openingAtNs - nowNs <= 0) {
            openingArmed = false;
            if (handshaking) {
                handshaking = false;
                life.closeNow(CloseReason.TLS_HANDSHAKE_TIMEOUT, new TlsException(CloseReason.TLS_HANDSHAKE_TIMEOUT,
                        "TLS handshake did not complete within " + c.config().tls().handshakeTimeoutNs() / 1_000_000
                                + " ms", null));
            } else {
                counters.inc(Counters.TIMEOUT_CONNECT);
                life.closeNow(CloseReason.CONNECT_TIMEOUT, new SocketTimeoutException(
                        "connect timed out after " + c.config().connectTimeoutNs() / 1_000_000 + " ms"));
            }
            return;
        }
        if (life.is(Lifecycle.State.CLOSING) && closeDue(nowNs)) {
            counters.inc(Counters.TIMEOUT_CLOSE);
            long unsent = c.pendingOutputBytes();
            c.resetOnClose(); // what the peer never took is discarded, in the kernel too
            life.closeNow(CloseReason.CLOSE_TIMEOUT, new SocketTimeoutException("graceful close did not finish within "
                    + c.config().closeTimeoutNs() / 1_000_000 + " ms; " + unsent + " bytes were never sent"));
            return;
        }
        if (life.is(Lifecycle.State.LINGERING) && (lingerUntilNs - nowNs <= 0 || closeDue(nowNs))) {
            life.lingerDone();
            return;
        }
        if (life.is(Lifecycle.State.OPEN) || life.is(Lifecycle.State.CLOSING)) {
            if (hasAbsolute && absoluteNs - nowNs <= 0) {
                hasAbsolute = false;
                counters.inc(Counters.TIMEOUT_DEADLINE);
                fire(TimeoutKind.DEADLINE, nowNs);
            }
            if (!life.is(Lifecycle.State.CLOSED) && idleDue(nowNs, c.readingEnabled())) {
                counters.inc(Counters.TIMEOUT_READ_IDLE);
                fire(TimeoutKind.READ_IDLE, nowNs);
            }
            if (!life.is(Lifecycle.State.CLOSED) && stallDue(nowNs, !c.outputEmpty())) {
                counters.inc(Counters.TIMEOUT_WRITE_STALL);
                fire(TimeoutKind.WRITE_STALL, nowNs);
            }
        }
        c.armTimer();
    }

    private void fire(TimeoutKind kind, long nowNs) {
        Boolean close = HandlerCalls.onTimeout(c, kind);
        if (close == null || c.life.is(Lifecycle.State.CLOSED)) {
            return; // the handler threw (the connection closed) or closed it itself
        }
        if (close) {
            // A timeout closes at once: waiting to flush is what just failed, or nobody is there.
            c.life.closeNow(kind.closeReason(), null);
        } else if (kind == TimeoutKind.READ_IDLE) {
            lastReadNs = nowNs;
        } else if (kind == TimeoutKind.WRITE_STALL) {
            lastWriteProgressNs = nowNs;
        }
    }

    void connectStarted(long nowNs) {
        long timeoutNs = c.config().connectTimeoutNs();
        openingArmed = timeoutNs > 0;
        openingAtNs = nowNs + timeoutNs;
    }

    /** The TCP connect (or accept) completed and the TLS handshake began: its own deadline replaces the connect's. */
    void handshakeStarted(long nowNs, long timeoutNs) {
        handshaking = true;
        openingArmed = timeoutNs > 0;
        openingAtNs = nowNs + timeoutNs;
    }

    void handshakeDone() {
        handshaking = false;
        openingArmed = false;
    }

    void closeStarted(long nowNs) {
        closeAtNs = nowNs + c.config().closeTimeoutNs();
    }

    void lingerStarted(long nowNs) {
        lingerUntilNs = nowNs + Lifecycle.LINGER_NS;
    }

    /**
     * The lingering peer is still sending: it is alive, and closing now, with its input unread, would
     * reset the connection and destroy what it has not read of ours yet. The linger restarts, bounded
     * by the close timeout from {@code close()} (with no close timeout, it does not restart: a peer
     * could then keep it open for ever).
     */
    void lingerInput(long nowNs) {
        if (c.config().closeTimeoutNs() > 0) {
            lingerUntilNs = nowNs + Lifecycle.LINGER_NS;
        }
    }

    /**
     * Sets the absolute deadline.
     *
     * @throws IllegalArgumentException when it is 2^62 ns (146 years) or more from now either way
     */
    void setAbsolute(long deadlineNs, long nowNs) {
        long distance = deadlineNs - nowNs;
        if (distance >= MAX_DISTANCE_NS || distance <= -MAX_DISTANCE_NS) {
            throw new IllegalArgumentException("deadline " + deadlineNs + " is 146 years or more from the loop's now ("
                    + nowNs + "): pass a time on the loop clock, such as loop.nowNs() + timeout");
        }
        absoluteNs = deadlineNs;
        hasAbsolute = true;
    }

    /** A new read-idle timeout; the idle period restarts now. */
    void setReadIdleTimeout(long timeoutNs, long nowNs) {
        if (timeoutNs < 0) {
            throw new IllegalArgumentException("read-idle timeout must be >= 0 (0 = none): " + timeoutNs);
        }
        readIdleTimeoutNs = timeoutNs;
        lastReadNs = nowNs;
    }

    void setWriteTimeout(long timeoutNs) {
        if (timeoutNs < 0) {
            throw new IllegalArgumentException("write timeout must be >= 0 (0 = none): " + timeoutNs);
        }
        writeTimeoutNs = timeoutNs;
    }

    void clearAbsolute() {
        hasAbsolute = false;
    }

    private boolean closeDue(long nowNs) {
        return c.config().closeTimeoutNs() > 0 && closeAtNs - nowNs <= 0;
    }

    private boolean idleDue(long nowNs, boolean reading) {
        return readIdleTimeoutNs > 0 && reading && lastReadNs + readIdleTimeoutNs - nowNs <= 0;
    }

    private boolean stallDue(long nowNs, boolean outputPending) {
        return writeTimeoutNs > 0 && outputPending && lastWriteProgressNs + writeTimeoutNs - nowNs <= 0;
    }

    /**
     * Puts the heap entry at the earliest deadline that applies, or takes it out when none does. It
     * only ever moves earlier here: a deadline that moved later (a read restarted the idle period) is
     * found when the entry fires and re-arms.
     *
     * @param connecting    the connect (or the TLS handshake that follows it) has not completed
     * @param closing       a graceful close is flushing (the close timeout applies, and while lingering too)
     * @param lingering     a graceful close is waiting for the peer's FIN
     * @param active        open or closing: idle, stall and absolute deadlines apply
     * @param reading       reading is enabled (idle time does not run while paused)
     * @param outputPending output is waiting (the stall clock runs only then)
     */
    void arm(boolean connecting, boolean closing, boolean lingering, boolean active, boolean reading,
             boolean outputPending) {
        boolean any = false;
        long next = 0;
        if (connecting && openingArmed) {
            next = openingAtNs;
            any = true;
        }
        if ((closing || lingering) && c.config().closeTimeoutNs() > 0 && (!any || closeAtNs - next < 0)) {
            next = closeAtNs;
            any = true;
        }
        if (lingering && (!any || lingerUntilNs - next < 0)) {
            next = lingerUntilNs;
            any = true;
        }
        if (active) {
            long idle = lastReadNs + readIdleTimeoutNs;
            if (readIdleTimeoutNs > 0 && reading && (!any || idle - next < 0)) {
                next = idle;
                any = true;
            }
            long stall = lastWriteProgressNs + writeTimeoutNs;
            if (writeTimeoutNs > 0 && outputPending && (!any || stall - next < 0)) {
                next = stall;
                any = true;
            }
            if (hasAbsolute && (!any || absoluteNs - next < 0)) {
                next = absoluteNs;
                any = true;
            }
        }
        if (!any) {
            c.eventLoop().timers.cancel(this);
        } else if (!isScheduled() || next - deadlineNs() < 0) {
            c.eventLoop().timers.schedule(this, next);
        }
    }

    /** Takes the entry out of the heap for good (the connection closed). */
    void cancel() {
        c.eventLoop().timers.cancel(this);
    }
}
