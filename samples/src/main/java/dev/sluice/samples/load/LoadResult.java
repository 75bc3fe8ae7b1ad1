package dev.sluice.samples.load;

import dev.sluice.LoopStats;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * What a load run measured. Latencies are in nanoseconds; in open loop they count from each message's
 * intended send time.
 *
 * <p>Thread: any (the histogram is a private copy; do not record into it while others read).
 *
 * @param config            what was run
 * @param latencyNs         round-trip latency of every message completed after the warmup
 * @param messages          messages completed in the measured window
 * @param measuredNs        the measured window's real length
 * @param loopCpuNs         CPU time the generator's loop thread(s) used in the window, -1 if unknown:
 *                          near the window's length means the generator itself was the bottleneck
 * @param messagesTotal     messages completed in the whole run, warmup and drain included
 * @param bytesSent         bytes sent over the whole run
 * @param bytesReceived     bytes received and verified over the whole run; equal to {@code bytesSent}
 *                          when every message was echoed
 * @param connectionsOpened connections that connected (and with TLS completed the handshake)
 * @param openingNs         from the first connect to the last connection opened or failed: connects and
 *                          TLS handshakes, before the clock started and outside the window (the longest
 *                          of the threads')
 * @param tls               the TLS protocol and cipher suite of the first connection, {@code null} on plain TCP
 * @param errors            errors by kind; empty when all went well
 * @param errorSamples      the first few errors, one line each
 * @param loopStats         the load generator loop's counters at the end
 */
public record LoadResult(LoadConfig config, Histogram latencyNs, long messages, long measuredNs, long loopCpuNs,
                         long messagesTotal, long bytesSent, long bytesReceived, int connectionsOpened,
                         long openingNs, String tls, Map<ErrorKind, Long> errors, List<String> errorSamples,
                         LoopStats loopStats) {

    /**
     * Thread: any.
     *
     * @return messages per second in the measured window
     */
    public double messagesPerSecond() {
        return measuredNs <= 0 ? 0 : messages * 1e9 / measuredNs;
    }

    /**
     * Thread: any.
     * Payload echoed per second in the measured window, one direction, in MiB (2^20 bytes).
     *
     * @return MiB per second
     */
    public double mibPerSecond() {
        return messagesPerSecond() * config.messageBytes() / (1024.0 * 1024.0);
    }

    /**
     * Thread: any.
     *
     * @return the generator's loop CPU in the window as a percentage of one core (100 = one core busy
     *     the whole time; over 100 with several threads), NaN if unknown
     */
    public double loopCpuPercent() {
        return loopCpuNs < 0 || measuredNs <= 0 ? Double.NaN : 100.0 * loopCpuNs / measuredNs;
    }

    /**
     * Thread: any.
     *
     * @param percentile e.g. 99.9
     * @return the latency at that percentile in nanoseconds, 0 if nothing was recorded
     */
    public long percentileNs(double percentile) {
        return latencyNs.getTotalCount() == 0 ? 0 : latencyNs.getValueAtPercentile(percentile);
    }

    /**
     * Thread: any.
     *
     * @return errors of every kind
     */
    public long errorCount() {
        long sum = 0;
        for (long n : errors.values()) {
            sum += n;
        }
        return sum;
    }

    /**
     * Thread: any.
     * Whether every connection opened, nothing went wrong and every byte sent came back.
     *
     * @return whether the run was clean
     */
    public boolean ok() {
        return errors.isEmpty() && bytesSent == bytesReceived && connectionsOpened == config.connections();
    }
}
