package dev.sluice;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Per-connection limits, backpressure watermarks, timeouts and socket options. Immutable; change one
 * field with the {@code with...} methods, starting from {@link #defaults()}.
 *
 * <p>All timeouts are in nanoseconds of the loop's clock ({@link Duration} overloads convert); {@code 0}
 * means "no timeout". Each default below says why it is what it is.
 *
 * <p>Thread: any (immutable).
 *
 * @param highWatermarkBytes     pending output the kernel would not take above which the connection is
 *                               unwritable. Default 64 KiB: four 16 KiB chunks, Netty's default too;
 *                               200 never-reading peers then hold at most 200 × (64 KiB + one write)
 *                               ({@code HostileMemoryTest})
 * @param lowWatermarkBytes      pending output at or below which it is writable again. Default 32 KiB:
 *                               half the high mark, so a producer is woken once per 32 KiB drained,
 *                               not once per write
 * @param maxPendingOutputBytes  hard cap on pending output: a write that would take it above this is
 *                               refused (not queued) and closes the connection with
 *                               {@link CloseReason#OUTPUT_OVERFLOW}. Default 16 MiB: a producer that
 *                               ignores writability is stopped before it costs more than a large file
 *                               chunk
 * @param maxInputBufferBytes    unconsumed input above this closes the connection with
 *                               {@link CloseReason#INPUT_OVERFLOW}. Default 1 MiB (argued, not measured):
 *                               sixteen pooled chunks for a frame the handler cannot parse yet, and 1/16
 *                               of the output cap
 * @param writeBudgetBytes       bytes written to one connection per loop iteration before the loop
 *                               moves on to the others. Default 64 KiB (argued, not measured): one read
 *                               budget's worth, so a streaming peer gets one buffer's turn per iteration
 *                               like every other connection; no test measures the fairness yet
 * @param readBudgetBytes        bytes read from one connection per readiness event (and drained per
 *                               event while a close lingers). Default 64 KiB: the loop's read buffer
 * @param readIdleTimeoutNs      close (or call {@link ConnectionHandler#onTimeout}) after this long
 *                               without a read. Default off: what is idle is the protocol's business
 * @param writeTimeoutNs         close after pending output made no progress for this long. Default off;
 *                               the output cap and the close timeout bound a stalled peer anyway
 * @param connectTimeoutNs       outbound connects that take longer fail with
 *                               {@link CloseReason#CONNECT_TIMEOUT}. Default 30 s: four SYN retransmissions
 *                               to a silent host (at 1, 3, 7 and 15 s) fit in it, and it gives up long
 *                               before the kernel's own 127 s ({@code tcp_syn_retries} = 6)
 * @param closeTimeoutNs         a graceful close that has not flushed its output within this is reset,
 *                               {@link CloseReason#CLOSE_TIMEOUT}; 0 waits forever. Default 30 s (nginx's
 *                               {@code lingering_time}): a reader taking 600 KB/s still drains a full
 *                               16 MiB output cap within it, and a peer that stopped reading holds its
 *                               descriptor and buffers no longer
 * @param pauseReadWhenUnwritable stop reading from a connection while it is unwritable, so a peer
 *                               that sends but never reads is pushed back by TCP flow control. Default
 *                               on: without it an echo to a never-reading peer grows to the output cap
 * @param tcpNoDelay             set {@code TCP_NODELAY}. Default on: request/response traffic would
 *                               otherwise wait up to 40 ms for Nagle's delayed ACK
 * @param sendBufferBytes        {@code SO_SNDBUF}, or 0 for the system default (autotuned by Linux)
 * @param receiveBufferBytes     {@code SO_RCVBUF}, or 0 for the system default (autotuned by Linux)
 * @param tcpKeepAlive           {@code SO_KEEPALIVE} and its probe timers, where the platform has them
 *                               (see {@link TcpKeepAlive}). Default off: with the system's timers it
 *                               finds a dead peer after two hours; the read-idle timeout and
 *                               {@link Heartbeat} do it on the loop clock
 * @param tls                    TLS on the connection ({@link TlsConfig}), or {@code null} for plain TCP.
 *                               Default plain
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
        long closeTimeoutNs,
        boolean pauseReadWhenUnwritable,
        boolean tcpNoDelay,
        int sendBufferBytes,
        int receiveBufferBytes,
        TcpKeepAlive tcpKeepAlive,
        TlsConfig tls) {

    private static final ConnectionConfig DEFAULTS = new ConnectionConfig(
            64 * 1024, 32 * 1024, 16L * 1024 * 1024, 1024 * 1024,
            64 * 1024, 64 * 1024,
            0, 0, 30_000_000_000L, 30_000_000_000L,
            true, true, 0, 0,
            TcpKeepAlive.off(), null);

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
     * @param closeTimeoutNs see the record description
     * @param pauseReadWhenUnwritable see the record description
     * @param tcpNoDelay see the record description
     * @param sendBufferBytes see the record description
     * @param receiveBufferBytes see the record description
     * @param tcpKeepAlive see the record description
     * @param tls see the record description
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
        if (readIdleTimeoutNs < 0 || writeTimeoutNs < 0 || connectTimeoutNs < 0 || closeTimeoutNs < 0) {
            throw new IllegalArgumentException("timeouts must be >= 0 (0 = none)");
        }
        if (sendBufferBytes < 0 || receiveBufferBytes < 0) {
            throw new IllegalArgumentException("socket buffer sizes must be >= 0 (0 = system default)");
        }
        if (tcpKeepAlive == null) {
            throw new IllegalArgumentException("tcpKeepAlive is required (TcpKeepAlive.off() for none)");
        }
    }

    /**
     * Thread: any.
     * The defaults: watermarks 64 KiB / 32 KiB, hard output cap 16 MiB, input cap 1 MiB, 64 KiB read and
     * write budgets, no idle or write timeout, 30 s connect and close timeouts, reading paused while
     * unwritable, {@code TCP_NODELAY} on, system socket buffer sizes, TCP keepalive off, plain TCP (no TLS).
     *
     * @return the default configuration
     */
    public static ConnectionConfig defaults() {
        return DEFAULTS;
    }

    /** The record's fields, mutable, for the {@code with...} methods: one copy, one place. */
    private static final class Fields {
        int high;
        int low;
        long maxOut;
        int maxIn;
        int writeBudget;
        int readBudget;
        long idle;
        long write;
        long connect;
        long close;
        boolean pause;
        boolean noDelay;
        int sndBuf;
        int rcvBuf;
        TcpKeepAlive keepAlive;
        TlsConfig tls;
    }

    private ConnectionConfig with(Consumer<Fields> change) {
        Fields f = new Fields();
        f.high = highWatermarkBytes;
        f.low = lowWatermarkBytes;
        f.maxOut = maxPendingOutputBytes;
        f.maxIn = maxInputBufferBytes;
        f.writeBudget = writeBudgetBytes;
        f.readBudget = readBudgetBytes;
        f.idle = readIdleTimeoutNs;
        f.write = writeTimeoutNs;
        f.connect = connectTimeoutNs;
        f.close = closeTimeoutNs;
        f.pause = pauseReadWhenUnwritable;
        f.noDelay = tcpNoDelay;
        f.sndBuf = sendBufferBytes;
        f.rcvBuf = receiveBufferBytes;
        f.keepAlive = tcpKeepAlive;
        f.tls = tls;
        change.accept(f);
        return new ConnectionConfig(f.high, f.low, f.maxOut, f.maxIn, f.writeBudget, f.readBudget, f.idle,
                f.write, f.connect, f.close, f.pause, f.noDelay, f.sndBuf, f.rcvBuf, f.keepAlive, f.tls);
    }

    static long nanos(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be a duration >= 0, got " + d);
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " is too long for nanoseconds: " + d, e);
        }
    }

    /**
     * Thread: any.
     *
     * @param highBytes high watermark
     * @param lowBytes  low watermark
     * @return a copy with these watermarks
     */
    public ConnectionConfig withWatermarks(int highBytes, int lowBytes) {
        return with(f -> {
            f.high = highBytes;
            f.low = lowBytes;
        });
    }

    /**
     * Thread: any.
     *
     * @param bytes hard cap on pending output
     * @return a copy with this cap
     */
    public ConnectionConfig withMaxPendingOutputBytes(long bytes) {
        return with(f -> f.maxOut = bytes);
    }

    /**
     * Thread: any.
     *
     * @param bytes cap on unconsumed input
     * @return a copy with this cap
     */
    public ConnectionConfig withMaxInputBufferBytes(int bytes) {
        return with(f -> f.maxIn = bytes);
    }

    /**
     * Thread: any.
     *
     * @param writeBytes per-iteration write budget
     * @param readBytes  per-event read budget
     * @return a copy with these budgets
     */
    public ConnectionConfig withBudgets(int writeBytes, int readBytes) {
        return with(f -> {
            f.writeBudget = writeBytes;
            f.readBudget = readBytes;
        });
    }

    /**
     * Thread: any.
     *
     * @param nanos read-idle timeout, 0 for none
     * @return a copy with this timeout
     */
    public ConnectionConfig withReadIdleTimeoutNs(long nanos) {
        return with(f -> f.idle = nanos);
    }

    /**
     * Thread: any.
     *
     * @param timeout read-idle timeout, {@link Duration#ZERO} for none
     * @return a copy with this timeout
     */
    public ConnectionConfig withReadIdleTimeout(Duration timeout) {
        return withReadIdleTimeoutNs(nanos(timeout, "read-idle timeout"));
    }

    /**
     * Thread: any.
     *
     * @param nanos write-stall timeout, 0 for none
     * @return a copy with this timeout
     */
    public ConnectionConfig withWriteTimeoutNs(long nanos) {
        return with(f -> f.write = nanos);
    }

    /**
     * Thread: any.
     *
     * @param timeout write-stall timeout, {@link Duration#ZERO} for none
     * @return a copy with this timeout
     */
    public ConnectionConfig withWriteTimeout(Duration timeout) {
        return withWriteTimeoutNs(nanos(timeout, "write timeout"));
    }

    /**
     * Thread: any.
     *
     * @param nanos connect timeout, 0 for none
     * @return a copy with this timeout
     */
    public ConnectionConfig withConnectTimeoutNs(long nanos) {
        return with(f -> f.connect = nanos);
    }

    /**
     * Thread: any.
     *
     * @param timeout connect timeout, {@link Duration#ZERO} for none
     * @return a copy with this timeout
     */
    public ConnectionConfig withConnectTimeout(Duration timeout) {
        return withConnectTimeoutNs(nanos(timeout, "connect timeout"));
    }

    /**
     * Thread: any.
     *
     * @param nanos close timeout, 0 to wait for ever
     * @return a copy with this timeout
     */
    public ConnectionConfig withCloseTimeoutNs(long nanos) {
        return with(f -> f.close = nanos);
    }

    /**
     * Thread: any.
     *
     * @param timeout close timeout, {@link Duration#ZERO} to wait for ever
     * @return a copy with this timeout
     */
    public ConnectionConfig withCloseTimeout(Duration timeout) {
        return withCloseTimeoutNs(nanos(timeout, "close timeout"));
    }

    /**
     * Thread: any.
     *
     * @param pause whether reading pauses while the connection is unwritable
     * @return a copy with this setting
     */
    public ConnectionConfig withPauseReadWhenUnwritable(boolean pause) {
        return with(f -> f.pause = pause);
    }

    /**
     * Thread: any.
     *
     * @param sendBytes    {@code SO_SNDBUF}, 0 for the system default
     * @param receiveBytes {@code SO_RCVBUF}, 0 for the system default
     * @return a copy with these socket buffer sizes
     */
    public ConnectionConfig withSocketBuffers(int sendBytes, int receiveBytes) {
        return with(f -> {
            f.sndBuf = sendBytes;
            f.rcvBuf = receiveBytes;
        });
    }

    /**
     * Thread: any.
     *
     * @param noDelay whether to set {@code TCP_NODELAY}
     * @return a copy with this setting
     */
    public ConnectionConfig withTcpNoDelay(boolean noDelay) {
        return with(f -> f.noDelay = noDelay);
    }

    /**
     * Thread: any.
     *
     * @param keepAlive TCP keepalive, e.g. {@code TcpKeepAlive.on().withIdle(Duration.ofSeconds(60))};
     *                  {@link TcpKeepAlive#off()} for none
     * @return a copy with this setting
     */
    public ConnectionConfig withTcpKeepAlive(TcpKeepAlive keepAlive) {
        return with(f -> f.keepAlive = keepAlive);
    }

    /**
     * Thread: any.
     *
     * @param config TLS for the connection, or {@code null} for plain TCP
     * @return a copy with this TLS configuration
     */
    public ConnectionConfig withTls(TlsConfig config) {
        return with(f -> f.tls = config);
    }
}
