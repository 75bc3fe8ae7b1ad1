package dev.sluice.samples.load;

import dev.sluice.TlsConfig;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One load run: where, how many connections, what each sends, for how long, and at what rate.
 *
 * <p>Thread: any (immutable; {@code progress} is only printed to).
 *
 * @param target         the echo server; must be resolved, since resolving blocks
 * @param connections    connections opened, all before the clock starts
 * @param messageBytes   bytes per message
 * @param depth          messages in flight per connection; 1 is ping-pong
 * @param duration       the measured time, after the warmup
 * @param warmup         time run first whose latencies and counts are discarded (errors are not)
 * @param ratePerSecond  0 for a closed loop (send as soon as a reply frees a slot); otherwise the total
 *                       rate, spread evenly over connections and scheduled from intended send times,
 *                       latency measured from those times (corrected for coordinated omission, as wrk2)
 * @param connectTimeout how long a connect may take
 * @param progress       where a line a second goes (elapsed, msgs/s, current p99), or {@code null}; printed
 *                       by the thread waiting in {@link LoadGenerator}, never by the loop thread
 * @param tls            TLS for every connection (a client configuration), or {@code null} for plain TCP;
 *                       each connection handshakes before the clock starts, the handshake allowed as
 *                       long as the connect ({@code connectTimeout})
 */
public record LoadConfig(InetSocketAddress target, int connections, int messageBytes, int depth,
                         Duration duration, Duration warmup, long ratePerSecond, Duration connectTimeout,
                         PrintStream progress, TlsConfig tls) {

    /**
     * Validates the configuration.
     *
     * @throws IllegalArgumentException when a value is out of range or the target is unresolved
     */
    public LoadConfig {
        if (target == null || target.isUnresolved()) {
            throw new IllegalArgumentException("target must be a resolved address, got " + target);
        }
        if (connections <= 0 || messageBytes <= 0 || depth <= 0) {
            throw new IllegalArgumentException("connections, size and depth must be > 0");
        }
        if (duration == null || warmup == null || connectTimeout == null) {
            throw new IllegalArgumentException("duration, warmup and connectTimeout are required");
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative() || connectTimeout.isNegative()) {
            throw new IllegalArgumentException("duration must be > 0, warmup and connect timeout >= 0");
        }
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate must be >= 0 (0 = as fast as replies allow)");
        }
    }

    /**
     * Thread: any.
     * Ten connections of 64-byte ping-pong for ten seconds after a two-second warmup, closed loop, a
     * ten-second connect timeout, no progress lines, plain TCP.
     *
     * @param target the echo server, resolved
     * @return the configuration
     */
    public static LoadConfig to(InetSocketAddress target) {
        return new LoadConfig(target, 10, 64, 1, Duration.ofSeconds(10), Duration.ofSeconds(2), 0,
                Duration.ofSeconds(10), null, null);
    }

    /**
     * Thread: any.
     *
     * @return whether sends follow a fixed schedule (open loop)
     */
    public boolean openLoop() {
        return ratePerSecond > 0;
    }

    /**
     * Thread: any.
     *
     * @param n connections
     * @return a copy with this many connections
     */
    public LoadConfig withConnections(int n) {
        return new LoadConfig(target, n, messageBytes, depth, duration, warmup, ratePerSecond, connectTimeout,
                progress, tls);
    }

    /**
     * Thread: any.
     *
     * @param bytes bytes per message
     * @return a copy with this message size
     */
    public LoadConfig withMessageBytes(int bytes) {
        return new LoadConfig(target, connections, bytes, depth, duration, warmup, ratePerSecond, connectTimeout,
                progress, tls);
    }

    /**
     * Thread: any.
     *
     * @param n messages in flight per connection
     * @return a copy with this depth
     */
    public LoadConfig withDepth(int n) {
        return new LoadConfig(target, connections, messageBytes, n, duration, warmup, ratePerSecond, connectTimeout,
                progress, tls);
    }

    /**
     * Thread: any.
     *
     * @param measured the measured time
     * @param warm     the warmup before it
     * @return a copy with these times
     */
    public LoadConfig withTimes(Duration measured, Duration warm) {
        return new LoadConfig(target, connections, messageBytes, depth, measured, warm, ratePerSecond,
                connectTimeout, progress, tls);
    }

    /**
     * Thread: any.
     *
     * @param perSecond total messages per second, 0 for a closed loop
     * @return a copy with this rate
     */
    public LoadConfig withRate(long perSecond) {
        return new LoadConfig(target, connections, messageBytes, depth, duration, warmup, perSecond, connectTimeout,
                progress, tls);
    }

    /**
     * Thread: any.
     *
     * @param timeout the connect timeout
     * @return a copy with this timeout
     */
    public LoadConfig withConnectTimeout(Duration timeout) {
        return new LoadConfig(target, connections, messageBytes, depth, duration, warmup, ratePerSecond, timeout,
                progress, tls);
    }

    /**
     * Thread: any.
     *
     * @param out where progress lines go, or {@code null} for none
     * @return a copy with this progress stream
     */
    public LoadConfig withProgress(PrintStream out) {
        return new LoadConfig(target, connections, messageBytes, depth, duration, warmup, ratePerSecond,
                connectTimeout, out, tls);
    }

    /**
     * Thread: any.
     *
     * @param config TLS for every connection, or {@code null} for plain TCP
     * @return a copy with this TLS configuration
     */
    public LoadConfig withTls(TlsConfig config) {
        return new LoadConfig(target, connections, messageBytes, depth, duration, warmup, ratePerSecond, connectTimeout,
                progress, config);
    }
}
