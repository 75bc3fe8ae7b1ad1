package dev.sluice;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;

/**
 * TCP keepalive for a connection: {@code SO_KEEPALIVE}, and the kernel's probe timers
 * {@code TCP_KEEPIDLE}, {@code TCP_KEEPINTERVAL} and {@code TCP_KEEPCOUNT}
 * ({@link jdk.net.ExtendedSocketOptions}). With keepalive on, a connection on which nothing has been
 * sent or received for {@code idleSeconds} gets an empty probe segment every {@code intervalSeconds};
 * after {@code count} unanswered probes the kernel resets it, and the engine closes it with
 * {@link CloseReason#PEER_RESET} or {@link CloseReason#IO_ERROR} ("Connection timed out") the next time
 * it reads or writes.
 *
 * <p>What keepalive does and does not tell you: a probe is answered by the peer's kernel, not by the
 * program, so keepalive finds a host that vanished (power, cable, a NAT that forgot the mapping) but
 * not a process that is alive and stuck. A protocol heartbeat ({@link Heartbeat}) finds both, on the
 * loop clock; keepalive costs nothing in the program and also keeps NAT and firewall mappings warm.
 *
 * <p><b>Where the timers are not supported.</b> {@code SO_KEEPALIVE} is standard everywhere. The three
 * timers are set only where the JDK supports them on the socket (Linux and macOS; not Windows on JDK
 * 17): elsewhere they are skipped, the connection still opens, and the system-wide values apply (on
 * Linux {@code net.ipv4.tcp_keepalive_time}, {@code _intvl}, {@code _probes}: 7200 s, 75 s and 9 by
 * default, so a dead peer is found after 2 h 11 min). Nothing fails and nothing pretends:
 * {@link #timersSupported()} says which case this platform is. A value of 0 means "the system's
 * value" on every platform.
 *
 * <p>Thread: any (immutable).
 *
 * @param enabled         set {@code SO_KEEPALIVE}. Default off, as in the kernel and in Netty: with
 *                        the system timers it notices a dead peer only after two hours, and the
 *                        engine's deadlines and {@link Heartbeat} are the mechanism that works on the
 *                        loop clock
 * @param idleSeconds     {@code TCP_KEEPIDLE}: seconds of silence before the first probe, 1..32767, or
 *                        0 for the system's value. Default 0
 * @param intervalSeconds {@code TCP_KEEPINTERVAL}: seconds between probes, 1..32767, or 0 for the
 *                        system's value. Default 0
 * @param count           {@code TCP_KEEPCOUNT}: unanswered probes before the kernel gives up, 1..127,
 *                        or 0 for the system's value. Default 0
 */
public record TcpKeepAlive(boolean enabled, int idleSeconds, int intervalSeconds, int count) {
    /** Linux's limit for {@code TCP_KEEPIDLE} and {@code TCP_KEEPINTVL} ({@code MAX_TCP_KEEPIDLE}). */
    static final int MAX_SECONDS = 32767;
    /** Linux's limit for {@code TCP_KEEPCNT} ({@code MAX_TCP_KEEPCNT}). */
    static final int MAX_COUNT = 127;

    private static final TcpKeepAlive OFF = new TcpKeepAlive(false, 0, 0, 0);
    private static final TcpKeepAlive ON = new TcpKeepAlive(true, 0, 0, 0);

    /**
     * Validates every field.
     *
     * @param enabled         see the record description
     * @param idleSeconds     see the record description
     * @param intervalSeconds see the record description
     * @param count           see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public TcpKeepAlive {
        if (idleSeconds < 0 || idleSeconds > MAX_SECONDS || intervalSeconds < 0 || intervalSeconds > MAX_SECONDS) {
            throw new IllegalArgumentException("keepalive idle and interval must be 0..32767 s (0 = system value), got "
                    + idleSeconds + " and " + intervalSeconds);
        }
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("keepalive count must be 0..127 (0 = system value): " + count);
        }
    }

    /**
     * Thread: any.
     * Keepalive off: the default.
     *
     * @return keepalive off
     */
    public static TcpKeepAlive off() {
        return OFF;
    }

    /**
     * Thread: any.
     * Keepalive on with the system's timers; set them with the {@code with...} methods.
     *
     * @return keepalive on
     */
    public static TcpKeepAlive on() {
        return ON;
    }

    /**
     * Thread: any.
     *
     * @param idle silence before the first probe, whole seconds; {@link Duration#ZERO} for the system's value
     * @return a copy with this idle time
     */
    public TcpKeepAlive withIdle(Duration idle) {
        return new TcpKeepAlive(enabled, seconds(idle, "keepalive idle"), intervalSeconds, count);
    }

    /**
     * Thread: any.
     *
     * @param interval time between probes, whole seconds; {@link Duration#ZERO} for the system's value
     * @return a copy with this interval
     */
    public TcpKeepAlive withInterval(Duration interval) {
        return new TcpKeepAlive(enabled, idleSeconds, seconds(interval, "keepalive interval"), count);
    }

    /**
     * Thread: any.
     *
     * @param probes unanswered probes before the kernel gives up; 0 for the system's value
     * @return a copy with this count
     */
    public TcpKeepAlive withCount(int probes) {
        return new TcpKeepAlive(enabled, idleSeconds, intervalSeconds, probes);
    }

    /**
     * Thread: any. The first call opens (and closes) one unconnected socket to ask.
     * Whether this JDK can set the three timers on a TCP socket on this platform. Where it cannot,
     * {@link #idleSeconds()}, {@link #intervalSeconds()} and {@link #count()} are not applied and the
     * system-wide values hold; {@link #enabled()} is applied everywhere.
     *
     * @return whether {@code TCP_KEEPIDLE}, {@code TCP_KEEPINTERVAL} and {@code TCP_KEEPCOUNT} are supported
     */
    public static boolean timersSupported() {
        return Probe.SUPPORTED;
    }

    /** The answer, found once: the JDK's supported options are the same for every TCP socket. */
    private static final class Probe {
        static final boolean SUPPORTED = probe();

        private static boolean probe() {
            try (SocketChannel ch = SocketChannel.open()) {
                Set<SocketOption<?>> options = ch.supportedOptions();
                return options.contains(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE)
                        && options.contains(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL)
                        && options.contains(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT);
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static int seconds(Duration d, String what) {
        if (d == null || d.isNegative() || d.getNano() != 0 || d.getSeconds() > MAX_SECONDS) {
            throw new IllegalArgumentException(what + " must be whole seconds, 0..32767 (the socket option's unit), got " + d);
        }
        return (int) d.getSeconds();
    }
}
