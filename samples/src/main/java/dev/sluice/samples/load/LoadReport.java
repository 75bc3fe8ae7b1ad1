package dev.sluice.samples.load;

import dev.sluice.samples.Durations;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a {@link LoadResult}: the summary table people read, the CSV line scripts read, and the
 * HdrHistogram percentile distribution ({@code .hgrm}, values in milliseconds as wrk2 writes them,
 * plottable with HdrHistogram's plotter).
 *
 * <p>Thread: any (stateless).
 */
public final class LoadReport {
    private static final double NANOS_PER_MS = 1_000_000.0;
    private static final String CSV_HEADER = "target,connections,size,depth,rate,duration_s,messages,msgs_per_s,"
            + "mib_per_s,p50_us,p90_us,p99_us,p999_us,max_us,errors,load_cpu_pct";

    private LoadReport() {
    }

    /**
     * Thread: any.
     * The human summary: what ran, one table row, and the errors if any.
     *
     * @param r   the result
     * @param out where to print
     */
    public static void printSummary(LoadResult r, PrintStream out) {
        LoadConfig c = r.config();
        out.printf(Locale.ROOT, "load %s: %d connection%s, %d-byte messages, depth %d%s, %s, %s measured after %s warmup%n",
                address(r), c.connections(), c.connections() == 1 ? "" : "s", c.messageBytes(), c.depth(),
                c.depth() == 1 ? " (ping-pong)" : "",
                c.openLoop() ? String.format(Locale.ROOT, "open loop at %,d msgs/s (latency from intended send time)",
                        c.ratePerSecond()) : "closed loop",
                Durations.format(c.duration()), Durations.format(c.warmup()));
        if (c.tls() != null) {
            out.printf(Locale.ROOT, "TLS%s: %d handshake%s in %.0f ms, before the clock started (not measured)%n",
                    r.tls() == null ? "" : " " + r.tls(), r.connectionsOpened(), r.connectionsOpened() == 1 ? "" : "s",
                    r.openingNs() / 1e6);
        }
        out.printf(Locale.ROOT, "%14s %10s %9s %9s %9s %9s %9s %8s%n",
                "msgs/s", "MiB/s", "p50", "p90", "p99", "p99.9", "max", "errors");
        out.printf(Locale.ROOT, "%,14.0f %10.2f %9s %9s %9s %9s %9s %8d%n",
                r.messagesPerSecond(), r.mibPerSecond(), lat(r, 50), lat(r, 90), lat(r, 99), lat(r, 99.9),
                Durations.latency(r.latencyNs().getMaxValue()), r.errorCount());
        out.printf(Locale.ROOT, "%,d messages in %.2f s; %,d bytes sent, %,d echoed and verified%s%n",
                r.messages(), r.measuredNs() / 1e9, r.bytesSent(), r.bytesReceived(),
                r.bytesSent() == r.bytesReceived() ? "" : " (MISSING " + (r.bytesSent() - r.bytesReceived()) + ")");
        if (!Double.isNaN(r.loopCpuPercent())) {
            out.printf(Locale.ROOT, "load generator's loop thread%s: %.0f%% of a core in the window%s%n",
                    r.loopCpuPercent() > 100 ? "s" : "", r.loopCpuPercent(),
                    r.loopCpuPercent() >= 90 ? " (saturated: the generator may be the bottleneck)" : "");
        }
        printErrors(r, out);
    }

    /**
     * Thread: any.
     * The error lines of the summary alone: how many connections opened when not all did, the errors by
     * kind, and the first few, one line each. Nothing when all went well.
     *
     * @param r   the result
     * @param out where to print
     */
    public static void printErrors(LoadResult r, PrintStream out) {
        if (r.connectionsOpened() != r.config().connections()) {
            out.printf(Locale.ROOT, "only %d of %d connections opened%n", r.connectionsOpened(), r.config().connections());
        }
        if (!r.errors().isEmpty()) {
            StringBuilder kinds = new StringBuilder("errors:");
            for (Map.Entry<ErrorKind, Long> e : r.errors().entrySet()) {
                kinds.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
            out.println(kinds);
            for (String sample : r.errorSamples()) {
                out.println("  " + sample);
            }
        }
    }

    /**
     * Thread: any.
     *
     * @return the header line matching {@link #csvLine(LoadResult)}
     */
    public static String csvHeader() {
        return CSV_HEADER;
    }

    /**
     * Thread: any.
     * One CSV line, latencies in microseconds.
     *
     * @param r the result
     * @return the line, without a line break
     */
    public static String csvLine(LoadResult r) {
        LoadConfig c = r.config();
        return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.3f,%d,%.1f,%.3f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%.1f",
                address(r), c.connections(), c.messageBytes(), c.depth(), c.ratePerSecond(), r.measuredNs() / 1e9,
                r.messages(), r.messagesPerSecond(), r.mibPerSecond(), us(r.percentileNs(50)), us(r.percentileNs(90)),
                us(r.percentileNs(99)), us(r.percentileNs(99.9)), us(r.latencyNs().getMaxValue()), r.errorCount(),
                r.loopCpuPercent());
    }

    /**
     * Thread: any.
     * The percentile distribution in HdrHistogram's text format, values in milliseconds.
     *
     * @param r   the result
     * @param out where to write
     */
    public static void writeHgrm(LoadResult r, PrintStream out) {
        r.latencyNs().outputPercentileDistribution(out, 5, NANOS_PER_MS);
    }

    /**
     * Thread: any.
     * The result as one JSON object on one line, latencies in microseconds.
     *
     * @param r       the result
     * @param threads the event loops it ran on
     * @return the object, without a line break
     */
    public static String json(LoadResult r, int threads) {
        LoadConfig c = r.config();
        StringBuilder errors = new StringBuilder();
        for (Map.Entry<ErrorKind, Long> e : r.errors().entrySet()) {
            errors.append(errors.length() == 0 ? "" : ",").append('"').append(e.getKey().name().toLowerCase(Locale.ROOT))
                    .append("\":").append(e.getValue());
        }
        return String.format(Locale.ROOT, "{\"target\":\"%s\",\"threads\":%d,\"connections\":%d,\"size\":%d,"
                        + "\"depth\":%d,\"rate\":%d,\"duration_s\":%.3f,\"messages\":%d,\"msgs_per_s\":%.1f,"
                        + "\"mib_per_s\":%.3f,\"latency_us\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,"
                        + "\"max\":%.1f},\"bytes_sent\":%d,\"bytes_verified\":%d,\"connections_opened\":%d,"
                        + "\"opening_ms\":%.1f,\"tls\":%s,\"errors\":{%s},\"load_cpu_pct\":%.1f,\"ok\":%b}",
                address(r), threads, c.connections(), c.messageBytes(), c.depth(), c.ratePerSecond(), r.measuredNs() / 1e9,
                r.messages(), r.messagesPerSecond(), r.mibPerSecond(), us(r.percentileNs(50)), us(r.percentileNs(90)),
                us(r.percentileNs(99)), us(r.percentileNs(99.9)), us(r.latencyNs().getMaxValue()), r.bytesSent(),
                r.bytesReceived(), r.connectionsOpened(), r.openingNs() / 1e6,
                r.tls() == null ? "null" : "\"" + r.tls() + "\"", errors,
                Double.isNaN(r.loopCpuPercent()) ? -1 : r.loopCpuPercent(),
                r.ok());
    }

    private static String address(LoadResult r) {
        return r.config().target().getHostString() + ":" + r.config().target().getPort();
    }

    private static String lat(LoadResult r, double percentile) {
        return Durations.latency(r.percentileNs(percentile));
    }

    private static double us(long nanos) {
        return nanos / 1e3;
    }
}
