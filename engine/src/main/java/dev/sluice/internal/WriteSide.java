package dev.sluice.internal;

import dev.sluice.CloseReason;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A connection's write side: admission against the output cap, the pending-output queue
 * ({@link OutboundBuffer}), the write budget, the watermarks, and whether the socket is full (so that
 * the connection asks for {@code OP_WRITE}).
 *
 * <p>Writability follows what the kernel refused, not what a callback queued: when queued output
 * crosses the high watermark while the socket is not known to be full, the queue is written at once,
 * and only what the kernel does not take counts against the watermark. A callback that fans one read
 * out into hundreds of small writes (a chat room) thus keeps a reader that is keeping up writable.
 *
 * <p>Thread: {@link #pendingBytes()}, {@link #isWritable()}, {@link #write} and {@link #writeFile} any;
 * the rest loop only. The fields read from other threads are written with opaque stores: plain stores on x86 and
 * ARM, no fence on the write path.
 */
final class WriteSide {
    private static final VarHandle PENDING;
    private static final VarHandle WRITABLE;
    private static final VarHandle IN_FLIGHT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PENDING = l.findVarHandle(WriteSide.class, "pendingMirror", long.class);
            WRITABLE = l.findVarHandle(WriteSide.class, "writable", boolean.class);
            IN_FLIGHT = l.findVarHandle(WriteSide.class, "inFlight", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The queue, only while something is queued: taken from the loop's {@link OutboundPool} by the first
     * write and given back when it drains, so that an idle connection holds none (a queue that ever held
     * a write keeps its three index arrays: about 170 bytes).
     */
    private OutboundBuffer out;
    private final SocketConnection c; // the loop and the config through it: 8 bytes less per connection
    /** {@code out.pendingBytes()} as other threads may read it. */
    @SuppressWarnings("unused") // through PENDING
    private long pendingMirror;
    /** Bytes written from other threads, still in the task queue on their way here. */
    @SuppressWarnings("unused") // through IN_FLIGHT
    private volatile long inFlight;
    @SuppressWarnings("unused") // through WRITABLE
    private boolean writable = true;
    private boolean notifiedWritable = true;
    /** Became unwritable since the handler was last told: see {@link #takeWritabilityChange()}. */
    private boolean unwritableUntold;
    private boolean socketFull;

    WriteSide(SocketConnection c) {
        this.c = c;
    }

    /** @return queued bytes plus bytes on their way from other threads; any thread */
    long pendingBytes() {
        return (long) PENDING.getOpaque(this) + inFlight;
    }

    /** @return below the high watermark, counting bytes on their way from other threads; any thread */
    boolean isWritable() {
        return (boolean) WRITABLE.getOpaque(this) && pendingBytes() <= c.config().highWatermarkBytes();
    }

    /** @return whether the kernel refused the last write and {@code OP_WRITE} is awaited */
    boolean socketFull() {
        return socketFull;
    }

    boolean isEmpty() {
        return out == null || out.isEmpty();
    }

    private long queuedBytes() {
        return out == null ? 0 : out.pendingBytes();
    }

    /** @return the queue, taking one from the pool if there is none */
    private OutboundBuffer queue() {
        OutboundBuffer q = out;
        if (q == null) {
            q = out = c.eventLoop().outbound.take();
        }
        return q;
    }

    /** @return whether this side holds a queue now (an idle connection must not) */
    boolean holdsQueue() {
        return out != null;
    }

    private void giveBackIfEmpty() {
        if (out != null && out.isEmpty()) {
            c.eventLoop().outbound.give(out);
            out = null;
        }
    }

    /** {@link dev.sluice.Connection#write}: any thread. */
    boolean write(ByteBuffer buffer) {
        if (!c.eventLoop().inLoop()) {
            return writeFromOtherThread(buffer.remaining(), () -> write(buffer));
        }
        int n = buffer.remaining();
        if (!c.life.acceptsWrites()) {
            c.eventLoop().counters.inc(Counters.WRITES_DROPPED);
            return false;
        }
        if (n == 0) {
            return true;
        }
        if (!admit(n)) {
            return false;
        }
        queue().add(buffer);
        queued(n);
        return true;
    }

    /** {@link dev.sluice.Connection#writeCopy}: loop only. */
    boolean writeCopy(ByteBuffer src) {
        c.eventLoop().checkInLoop("writeCopy");
        if (!c.life.acceptsWrites()) {
            c.eventLoop().counters.inc(Counters.WRITES_DROPPED);
            return false;
        }
        int n = src.remaining();
        if (n == 0) {
            return true;
        }
        if (!admit(n)) {
            return false;
        }
        queue().copyIn(src, c.eventLoop().pool);
        queued(n);
        return true;
    }

    /** {@link dev.sluice.Connection#writeFile}: any thread. */
    boolean writeFile(FileChannel file, long position, long count) {
        if (file == null || position < 0 || count < 0) {
            throw new IllegalArgumentException("need a file, position >= 0 and count >= 0, got "
                    + file + ", " + position + ", " + count);
        }
        if (!c.eventLoop().inLoop()) {
            return writeFromOtherThread(count, () -> writeFile(file, position, count));
        }
        if (!c.life.acceptsWrites()) {
            c.eventLoop().counters.inc(Counters.WRITES_DROPPED);
            return false;
        }
        if (count == 0) {
            return true;
        }
        if (!admit(count)) {
            return false;
        }
        queue().addFile(file, position, count);
        queued(count);
        return true;
    }

    /**
     * Counts the bytes as pending output from now until the task runs on the loop, so that
     * {@link #isWritable()} and {@link #pendingBytes()} see them at once (Netty's #1697).
     */
    private boolean writeFromOtherThread(long n, Runnable write) {
        IN_FLIGHT.getAndAdd(this, n);
        boolean queued = c.eventLoop().thread.offerFromOtherThread(() -> {
            IN_FLIGHT.getAndAdd(this, -n);
            write.run();
        });
        if (!queued) {
            IN_FLIGHT.getAndAdd(this, -n);
        }
        return queued;
    }

    /**
     * Checked before queuing, so the cap really caps: a write that would take pending output over it is
     * refused whole and closes the connection, instead of being queued (for {@code writeCopy}, copied
     * into pooled chunks) in full and dropped a moment later.
     *
     * @return whether {@code n} more bytes may be queued
     */
    private boolean admit(long n) {
        long pending = queuedBytes() + n;
        if (pending <= c.config().maxPendingOutputBytes()) {
            return true;
        }
        c.life.closeNow(CloseReason.OUTPUT_OVERFLOW, new IOException(pending
                + " bytes of pending output, over the cap of " + c.config().maxPendingOutputBytes()));
        return false;
    }

    /** {@code n} bytes were just queued. */
    private void queued(long n) {
        boolean canWrite = !c.life.is(Lifecycle.State.CONNECTING);
        long pending = queuedBytes();
        PENDING.setOpaque(this, pending);
        c.eventLoop().addPendingOutput(n);
        if (pending == n) {
            // the stall clock starts when output starts waiting
            c.deadlines.lastWriteProgressNs = c.eventLoop().nowNs();
            c.armTimer();
        }
        if (pending > c.config().highWatermarkBytes() && (boolean) WRITABLE.getOpaque(this)) {
            if (canWrite && !socketFull) {
                flush(c.eventLoop().nowNs(), Long.MAX_VALUE); // see what the kernel takes before calling it unwritable
                if (c.life.is(Lifecycle.State.CLOSED)) {
                    return;
                }
            }
            if (queuedBytes() > c.config().highWatermarkBytes()) {
                WRITABLE.setOpaque(this, false);
                unwritableUntold = true;
                c.eventLoop().counters.inc(Counters.BECAME_UNWRITABLE);
                JfrEvents.writabilityChanged(c.eventLoop().config.name(), c.id(), false, queuedBytes());
                c.updateInterest();
                c.eventLoop().defer(c);
            }
        }
        if (canWrite && !socketFull && !isEmpty() && c.eventLoop().replyingTo != c) {
            c.eventLoop().addToFlush(c); // a reply to the read in progress is written right after it instead
        }
    }

    /**
     * Writes pending output until the queue is empty, the kernel refuses some, or {@code budget} bytes
     * went out (then the connection comes back next iteration). Calls the connection back when the queue
     * drains, for a close or a half-close waiting on it.
     */
    void flush(long nowNs, long budget) {
        Transport t = c.transport();
        if (t.hasBufferedOutput() && !flushTransport(t)) {
            return;
        }
        OutboundBuffer q = out;
        while (q != null && !q.isEmpty()) {
            long n;
            try {
                n = q.writeTo(c.transport(), c.eventLoop().pool);
            } catch (IOException e) {
                c.life.closeNow(IoErrors.reasonFor(e), e);
                return;
            }
            c.eventLoop().counters.inc(Counters.WRITES);
            c.eventLoop().addPendingOutput(-n);
            if (n > 0) {
                c.eventLoop().counters.add(Counters.BYTES_WRITTEN, n);
                c.deadlines.lastWriteProgressNs = nowNs;
            }
            if (q.lastWriteWasPartial()) {
                c.eventLoop().counters.inc(Counters.PARTIAL_WRITES);
                socketFull = true; // the kernel tells us when there is room
                break;
            }
            budget -= n;
            if (budget <= 0 && !q.isEmpty()) {
                c.eventLoop().addToFlush(c); // budget used up, socket not full: come back next iteration
                break;
            }
        }
        PENDING.setOpaque(this, queuedBytes());
        if (isEmpty()) {
            giveBackIfEmpty();
            socketFull = t.hasBufferedOutput(); // TLS ciphertext the socket did not take: OP_WRITE still
        }
        if (!(boolean) WRITABLE.getOpaque(this) && queuedBytes() <= c.config().lowWatermarkBytes()) {
            WRITABLE.setOpaque(this, true);
            c.eventLoop().counters.inc(Counters.BECAME_WRITABLE);
            JfrEvents.writabilityChanged(c.eventLoop().config.name(), c.id(), true, queuedBytes());
            c.eventLoop().defer(c);
        }
        c.updateInterest();
        if (isEmpty() && !socketFull) {
            c.life.onOutputDrained();
        }
    }

    /**
     * Right after a read: writes what its onData queued, one gathering write for all the replies of
     * the read, instead of leaving them for the next iteration's flush phase while the loop reads every
     * other ready socket (which made the first of 1,000 peers wait for the other 999).
     */
    void flushReplies(long nowNs) {
        if (!socketFull && !isEmpty() && !c.life.is(Lifecycle.State.CLOSED)) {
            flush(nowNs, c.config().writeBudgetBytes());
        }
    }

    /**
     * Sends what the transport holds from earlier writes (TLS ciphertext) before anything newer.
     *
     * @return whether it all went out; if not, the connection waits for {@code OP_WRITE}
     */
    private boolean flushTransport(Transport t) {
        try {
            if (t.flushBuffered()) {
                return true;
            }
        } catch (IOException e) {
            c.life.closeNow(IoErrors.reasonFor(e), e);
            return false;
        }
        c.eventLoop().counters.inc(Counters.PARTIAL_WRITES);
        socketFull = true;
        c.updateInterest();
        return false;
    }

    /** {@code OP_WRITE} fired: the socket has room again. */
    void onWritable(long nowNs) {
        socketFull = false;
        flush(nowNs, c.config().writeBudgetBytes());
    }

    /**
     * The next change to tell the handler, marked told: every change once, in order. A spell of
     * unwritability that ended before the loop could report it (a producer in a task wrote until
     * {@code isWritable()} said false, and the socket drained in the same iteration) is still told, false
     * and then true: the producer saw false and waits for true.
     *
     * @return {@code FALSE}, {@code TRUE}, or {@code null} when nothing changed
     */
    Boolean takeWritabilityChange() {
        boolean now = (boolean) WRITABLE.getOpaque(this);
        if (notifiedWritable && (!now || unwritableUntold)) {
            notifiedWritable = false;
            unwritableUntold = false;
            return Boolean.FALSE;
        }
        if (!notifiedWritable && now) {
            notifiedWritable = true;
            return Boolean.TRUE;
        }
        return null;
    }

    /** @return the writability the handler is told about */
    boolean writableFlag() {
        return (boolean) WRITABLE.getOpaque(this);
    }

    /** Drops everything queued (the connection closed). */
    void clear() {
        if (out == null) {
            return;
        }
        long dropped = out.clear(c.eventLoop().pool);
        giveBackIfEmpty();
        c.eventLoop().addPendingOutput(-dropped);
        PENDING.setOpaque(this, 0L);
    }
}
