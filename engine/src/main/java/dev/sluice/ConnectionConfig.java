package dev.sluice;

/**
 * Per-connection limits, backpressure watermarks, timeouts and socket options. Immutable; change one
 * field with the {@code with...} methods, starting from {@link #defaults()}.
 *
 * <p>All timeouts are in nanoseconds of the loop's clock; {@code 0} means "no timeout".
 *
 * <p>Thread: any (immutable).
 *
 * @param highWatermarkBytes     pending output above this makes the connection unwritable
 * @param lowWatermarkBytes      pending output at or below this makes it writable again
 * @param maxPendingOutputBytes  hard cap on pending output: a write that would take it above this is
 *                               refused (not queued) and closes the connection with
 *                               {@link CloseReason#OUTPUT_OVERFLOW}
 * @param maxInputBufferBytes    unconsumed input above this closes the connection with
 *                               {@link CloseReason#INPUT_OVERFLOW}
 * @param writeBudgetBytes       bytes written to one connection per loop iteration before the loop
 *                               moves on to the others (fairness)
 * @param readBudgetBytes        bytes read from one connection per readiness event
 * @param readIdleTimeoutNs      close (or call {@link ConnectionHandler#onTimeout}) after this long
 *                               without a read
 * @param writeTimeoutNs         close after pending output made no progress for this long
 * @param connectTimeoutNs       outbound connects that take longer fail with
 *                               {@link CloseReason#CONNECT_TIMEOUT}
 * @param pauseReadWhenUnwritable stop reading from a connection while it is unwritable, so a peer
 *                               that sends but never reads is pushed back by TCP flow control
 * @param tcpNoDelay             set {@code TCP_NODELAY}
 * @param sendBufferBytes        {@code SO_SNDBUF}, or 0 for the system default
 * @param receiveBufferBytes     {@code SO_RCVBUF}, or 0 for the system default
 */
public record ConnectionConfig(
        int highWatermarkBytes,
        int lowWatermarkBytes,
        long maxPendingOutputBytes,
        int maxInputBufferBytes,
        int writeBudgetBytes,
        int readBudgetBytes,
        long readIdleTimeoutNs,
        long writeTimeoutNs,
        long connectTimeoutNs,
        boolean pauseReadWhenUnwritable,
        boolean tcpNoDelay,
        int sendBufferBytes,
        int receiveBufferBytes) {

    private static final ConnectionConfig DEFAULTS = new ConnectionConfig(
            64 * 1024, 32 * 1024, 16L * 1024 * 1024, 1024 * 1024,
            64 * 1024, 64 * 1024,
            0, 0, 30_000_000_000L,
            true, true, 0, 0);

    /**
     * Validates every field.
     *
     * @param highWatermarkBytes see the record description
     * @param lowWatermarkBytes see the record description
     * @param maxPendingOutputBytes see the record description
     * @param maxInputBufferBytes see the record description
     * @param writeBudgetBytes see the record description
     * @param readBudgetBytes see the record description
     * @param readIdleTimeoutNs see the record description
     * @param writeTimeoutNs see the record description
     * @param connectTimeoutNs see the record description
     * @param pauseReadWhenUnwritable see the record description
     * @param tcpNoDelay see the record description
     * @param sendBufferBytes see the record description
     * @param receiveBufferBytes see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public ConnectionConfig {
        if (lowWatermarkBytes < 0 || highWatermarkBytes <= 0 || lowWatermarkBytes >= highWatermarkBytes) {
            throw new IllegalArgumentException("need 0 <= lowWatermarkBytes < highWatermarkBytes, got "
                    + lowWatermarkBytes + " and " + highWatermarkBytes);
        }
        if (maxPendingOutputBytes <= 0) {
            throw new IllegalArgumentException("maxPendingOutputBytes must be > 0: " + maxPendingOutputBytes);
        }
        if (maxInputBufferBytes <= 0 || writeBudgetBytes <= 0 || readBudgetBytes <= 0) {
            throw new IllegalArgumentException("buffer limits and budgets must be > 0");
        }
        if (readIdleTimeoutNs < 0 || writeTimeoutNs < 0 || connectTimeoutNs < 0) {
            throw new IllegalArgumentException("timeouts must be >= 0 (0 = none)");
        }
        if (sendBufferBytes < 0 || receiveBufferBytes < 0) {
            throw new IllegalArgumentException("socket buffer sizes must be >= 0 (0 = system default)");
        }
    }

    /**
     * The defaults: watermarks 64 KiB / 32 KiB, hard output cap 16 MiB, input cap 1 MiB, 64 KiB read and
     * write budgets, no idle or write timeout, 30 s connect timeout, reading paused while unwritable,
     * {@code TCP_NODELAY} on, system socket buffer sizes.
     *
     * <p>Thread: any.
     *
     * @return the default configuration
     */
    public static ConnectionConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Thread: any.
     *
     * @param highBytes high watermark
     * @param lowBytes  low watermark
     * @return a copy with these watermarks
     */
    public ConnectionConfig withWatermarks(int highBytes, int lowBytes) {
        return new ConnectionConfig(highBytes, lowBytes, maxPendingOutputBytes, maxInputBufferBytes,
                writeBudgetBytes, readBudgetBytes, readIdleTimeoutNs, writeTimeoutNs, connectTimeoutNs,
                pauseReadWhenUnwritable, tcpNoDelay, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * Thread: any.
     *
     * @param bytes hard cap on pending output
     * @return a copy with this cap
     */
    public ConnectionConfig withMaxPendingOutputBytes(long bytes) {
        return new ConnectionConfig(highWatermarkBytes, lowWatermarkBytes, bytes, maxInputBufferBytes,
                writeBudgetBytes, readBudgetBytes, readIdleTimeoutNs, writeTimeoutNs, connectTimeoutNs,
                pauseReadWhenUnwritable, tcpNoDelay, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * Thread: any.
     *
     * @param bytes cap on unconsumed input
     * @return a copy with this cap
     */
    public ConnectionConfig withMaxInputBufferBytes(int bytes) {
        return new ConnectionConfig(highWatermarkBytes, lowWatermarkBytes, maxPendingOutputBytes, bytes,
                writeBudgetBytes, readBudgetBytes, readIdleTimeoutNs, writeTimeoutNs, connectTimeoutNs,
                pauseReadWhenUnwritable, tcpNoDelay, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * Thread: any.
     *
     * @param writeBytes per-iteration write budget
     * @param readBytes  per-event read budget
     * @return a copy with these budgets
     */
    public ConnectionConfig withBudgets(int writeBytes, int readBytes) {
        return new ConnectionConfig(highWatermarkBytes, lowWatermarkBytes, maxPendingOutputBytes,
                maxInputBufferBytes, writeBytes, readBytes, readIdleTimeoutNs, writeTimeoutNs,
                connectTimeoutNs, pauseReadWhenUnwritable, tcpNoDelay, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * Thread: any.
     *
     * @param nanos read-idle timeout, 0 for none
     * @return a copy with this timeout
     */
    public ConnectionConfig withReadIdleTimeoutNs(long nanos) {
        return new ConnectionConfig(highWatermarkBytes, lowWatermarkBytes, maxPendingOutputBytes,
                maxInputBufferBytes, writeBudgetBytes, readBudgetBytes, nanos, writeTimeoutNs,
                connectTimeoutNs, pauseReadWhenUnwritable, tcpNoDelay, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * Thread: any.
     *
     * @param nanos write-stall timeout, 0 for none
     * @return a copy with this timeout
     */
    public ConnectionConfig withWriteTimeoutNs(long nanos) {
        return new ConnectionConfig(highWatermarkBytes, lowWatermarkBytes, maxPendingOutputBytes,
                maxInputBufferBytes, writeBudgetBytes, readBudgetBytes, readIdleTimeoutNs, nanos,
                connectTimeoutNs, pauseReadWhenUnwritable, tcpNoDelay, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * Thread: any.
     *
     * @param nanos connect timeout, 0 for none
     * @return a copy with this timeout
     */
    public ConnectionConfig withConnectTimeoutNs(long nanos) {
        return new ConnectionConfig(highWatermarkBytes, lowWatermarkBytes, maxPendingOutputBytes,
                maxInputBufferBytes, writeBudgetBytes, readBudgetBytes, readIdleTimeoutNs, writeTimeoutNs,
                nanos, pauseReadWhenUnwritable, tcpNoDelay, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * Thread: any.
     *
     * @param pause whether reading pauses while the connection is unwritable
     * @return a copy with this setting
     */
    public ConnectionConfig withPauseReadWhenUnwritable(boolean pause) {
        return new ConnectionConfig(highWatermarkBytes, lowWatermarkBytes, maxPendingOutputBytes,
                maxInputBufferBytes, writeBudgetBytes, readBudgetBytes, readIdleTimeoutNs, writeTimeoutNs,
                connectTimeoutNs, pause, tcpNoDelay, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * Thread: any.
     *
     * @param sendBytes    {@code SO_SNDBUF}, 0 for the system default
     * @param receiveBytes {@code SO_RCVBUF}, 0 for the system default
     * @return a copy with these socket buffer sizes
     */
    public ConnectionConfig withSocketBuffers(int sendBytes, int receiveBytes) {
        return new ConnectionConfig(highWatermarkBytes, lowWatermarkBytes, maxPendingOutputBytes,
                maxInputBufferBytes, writeBudgetBytes, readBudgetBytes, readIdleTimeoutNs, writeTimeoutNs,
                connectTimeoutNs, pauseReadWhenUnwritable, tcpNoDelay, sendBytes, receiveBytes);
    }

    /**
     * Thread: any.
     *
     * @param noDelay whether to set {@code TCP_NODELAY}
     * @return a copy with this setting
     */
    public ConnectionConfig withTcpNoDelay(boolean noDelay) {
        return new ConnectionConfig(highWatermarkBytes, lowWatermarkBytes, maxPendingOutputBytes,
                maxInputBufferBytes, writeBudgetBytes, readBudgetBytes, readIdleTimeoutNs, writeTimeoutNs,
                connectTimeoutNs, pauseReadWhenUnwritable, noDelay, sendBufferBytes, receiveBufferBytes);
    }
}
