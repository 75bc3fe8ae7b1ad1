package dev.sluice.samples.udp;

import java.util.Locale;

/**
 * What a counted {@link UdpEchoClient} run saw.
 *
 * <p>Thread: any (immutable).
 *
 * @param sent       datagrams handed to the engine and accepted
 * @param refused    datagrams the engine refused (send queue full); never sent
 * @param received   distinct datagrams echoed back intact
 * @param duplicates echoes of a datagram already received
 * @param malformed  replies that were not an echo of ours (wrong size or sequence number)
 * @param late       echoes that came after their datagram was counted lost
 * @param minRttNs   fastest round trip, or 0 if none
 * @param avgRttNs   mean round trip, or 0 if none
 * @param maxRttNs   slowest round trip, or 0 if none
 * @param elapsedNs  how long the run took
 */
public record UdpReport(long sent, long refused, long received, long duplicates, long malformed, long late,
                        long minRttNs, long avgRttNs, long maxRttNs, long elapsedNs) {

    /**
     * Thread: any.
     *
     * @return datagrams sent but never echoed
     */
    public long lost() {
        return sent - received;
    }

    @Override
    public String toString() {
        double seconds = Math.max(elapsedNs, 1) / 1e9;
        return String.format(Locale.ROOT, "%d sent, %d received, %d lost, %d duplicates, %d late, %d malformed, "
                        + "%d refused; rtt min/avg/max %.1f/%.1f/%.1f us; %.2f s, %.0f datagrams/s",
                sent, received, lost(), duplicates, late, malformed, refused, minRttNs / 1e3, avgRttNs / 1e3,
                maxRttNs / 1e3, seconds, received / seconds);
    }
}
