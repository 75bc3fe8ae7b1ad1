package dev.sluice.samples.http;

import dev.sluice.LoopStats;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Thread: any (immutable apart from the histograms, which the caller owns once returned). What an
 * {@link HttpBench} run measured, all threads merged.
 *
 * @param config       what was run
 * @param requests     responses completed within the measured window
 * @param bytesRead    bytes received within the window, heads included
 * @param elapsedNs    the measured window (the longest of the threads')
 * @param loopCpuNs    CPU time the loop threads used in the window, summed; -1 when unknown. Near the
 *                     window's length per thread means the bench itself was the bottleneck
 * @param latencyUs    response latencies in microseconds; in rate mode counted from each request's
 *                     intended send time
 * @param threadRates  wrk's "Req/Sec" samples: each thread's requests per second over every 100 ms of
 *                     the window
 * @param statusCounts responses by status code
 * @param errors       errors by kind (kinds with none left out)
 * @param connects     connections established, reconnections included
 * @param loopStats    each thread's loop counters at the end
 * @param firstError   the first connect, read or write error as its close reason and message (say
 *                     {@code TLS_HANDSHAKE_FAILED: ... PKIX path building failed ...}), or {@code null}
 */
public record BenchResult(BenchConfig config, long requests, long bytesRead, long elapsedNs, long loopCpuNs,
                          Histogram latencyUs,
                          Histogram threadRates, Map<Integer, Long> statusCounts,
                          Map<HttpBench.ErrorKind, Long> errors, long connects, List<LoopStats> loopStats,
                          String firstError) {

    /**
     * Thread: any.
     *
     * @return completed responses per second
     */
    public double requestsPerSecond() {
        return elapsedNs <= 0 ? 0 : requests * 1e9 / elapsedNs;
    }

    /**
     * Thread: any.
     *
     * @return bytes received per second
     */
    public double bytesPerSecond() {
        return elapsedNs <= 0 ? 0 : bytesRead * 1e9 / elapsedNs;
    }

    /**
     * Thread: any.
     *
     * @return the loop threads' CPU over the window in percent of one core (100 = one core busy the
     *     whole window), NaN when unknown
     */
    public double loopCpuPercent() {
        return loopCpuNs < 0 || elapsedNs <= 0 ? Double.NaN : 100.0 * loopCpuNs / elapsedNs;
    }

    /**
     * Thread: any.
     *
     * @return loop CPU nanoseconds per completed request, NaN when unknown or none completed
     */
    public double loopCpuNsPerRequest() {
        return loopCpuNs < 0 || requests == 0 ? Double.NaN : (double) loopCpuNs / requests;
    }

    /**
     * Thread: any.
     *
     * @param kind an error kind
     * @return how many of it
     */
    public long errors(HttpBench.ErrorKind kind) {
        return errors.getOrDefault(kind, 0L);
    }

    /**
     * Thread: any.
     *
     * @return errors of all kinds
     */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Thread: any.
     *
     * @return responses with a status outside 200..399 (wrk's "Non-2xx or 3xx responses")
     */
    public long non2xx3xx() {
        return statusCounts.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() > 399)
                .mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * Thread: any. The share of the recorded values within one standard deviation of the mean, wrk's
     * "+/- Stdev" column.
     *
     * @param h a histogram
     * @return a percentage, 0..100
     */
    public static double withinStdev(Histogram h) {
        if (h.getTotalCount() == 0) {
            return 0;
        }
        double mean = h.getMean();
        double sd = h.getStdDeviation();
        long lower = (long) Math.ceil(mean - sd);
        long upper = (long) Math.floor(mean + sd);
        long within = upper < lower ? 0 : h.getCountBetweenValues(Math.max(0, lower), Math.max(0, upper));
        return 100.0 * within / h.getTotalCount();
    }
}
