package dev.sluice.samples.http;

import dev.sluice.samples.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Thread: any (stateless).
 *
 * <p>Prints a {@link BenchResult} the way wrk and wrk2 print theirs (same lines, same number formats,
 * so the eye and the scripts that grep wrk's output carry over), plus the machine-readable forms: the
 * HdrHistogram percentile distribution ({@code .hgrm}, milliseconds, what HdrHistogram's plotter
 * reads), one CSV line, one JSON object.
 */
public final class BenchReport {

    private static final double[] PERCENTILES = {50, 75, 90, 99, 99.9, 99.99, 99.999, 100};
    private static final String CSV_HEADER = "url,threads,connections,pipeline,rate,duration_s,requests,requests_per_s,"
            + "bytes_per_s,latency_avg_us,latency_stdev_us,p50_us,p90_us,p99_us,p999_us,max_us,"
            + "errors_connect,errors_read,errors_write,errors_timeout,non_2xx_3xx,loop_cpu_pct,loop_cpu_ns_per_request";

    private BenchReport() {
    }

    /**
     * Thread: any. wrk's first lines: {@code Running 10s test @ URL} and the threads and connections.
     *
     * @param c   the run
     * @param out where to print
     */
    public static void printHeader(BenchConfig c, PrintStream out) {
        out.printf(Locale.ROOT, "Running %s test @ %s%n", Durations.format(Duration.ofNanos(c.durationNs())), c.url());
        out.printf(Locale.ROOT, "  %d threads and %d connections%s%s%s%n", c.threads(), c.connections(),
                c.pipeline() == 1 ? "" : ", pipeline " + c.pipeline(),
                c.ratePerSecond() == 0 ? "" : String.format(Locale.ROOT, ", %d requests/s (latency from intended send times)",
                        c.ratePerSecond()),
                c.warmupNs() == 0 ? "" : ", after a " + Durations.format(Duration.ofNanos(c.warmupNs())) + " warm-up (not counted)");
    }

    /**
     * Thread: any. wrk's summary: the Thread Stats table, the latency distribution if asked for, the
     * totals, the errors, and the last two lines in wrk's exact format.
     *
     * @param r       the result
     * @param latency whether to print the percentile spectrum (wrk2's {@code --latency})
     * @param out     where to print
     */
    public static void printSummary(BenchResult r, boolean latency, PrintStream out) {
        Histogram lat = r.latencyUs();
        Histogram rates = r.threadRates();
        out.printf(Locale.ROOT, "  Thread Stats%6s%11s%8s%12s%n", "Avg", "Stdev", "Max", "+/- Stdev");
        out.printf(Locale.ROOT, "    %-10s%s%s%s%8.2f%%%n", "Latency", units(timeUs(lat.getMean()), 8),
                units(timeUs(lat.getStdDeviation()), 10), units(timeUs(lat.getMaxValue()), 9), BenchResult.withinStdev(lat));
        out.printf(Locale.ROOT, "    %-10s%s%s%s%8.2f%%%n", "Req/Sec", units(metric(rates.getMean()), 8),
                units(metric(rates.getStdDeviation()), 10), units(metric(rates.getMaxValue()), 9),
                BenchResult.withinStdev(rates));
        if (latency) {
            printSpectrum(r, out);
        }
        out.printf(Locale.ROOT, "  %d requests in %s, %sB read%n", r.requests(), timeUs(r.elapsedNs() / 1e3),
                binary(r.bytesRead()));
        long read = r.errors(HttpBench.ErrorKind.READ) + r.errors(HttpBench.ErrorKind.PARSE);
        if (r.errorCount() > 0) {
            out.printf(Locale.ROOT, "  Socket errors: connect %d, read %d, write %d, timeout %d%n",
                    r.errors(HttpBench.ErrorKind.CONNECT), read, r.errors(HttpBench.ErrorKind.WRITE),
                    r.errors(HttpBench.ErrorKind.TIMEOUT));
        }
        if (r.non2xx3xx() > 0) {
            out.printf(Locale.ROOT, "  Non-2xx or 3xx responses: %d%n", r.non2xx3xx());
        }
        out.printf(Locale.ROOT, "Requests/sec: %9.2f%n", r.requestsPerSecond());
        out.printf(Locale.ROOT, "Transfer/sec: %10sB%n", binary(r.bytesPerSecond()));
    }

    /** wrk2's {@code --latency}: eight percentiles, then the whole spectrum in HdrHistogram's format. */
    private static void printSpectrum(BenchResult r, PrintStream out) {
        Histogram lat = r.latencyUs();
        out.printf(Locale.ROOT, "  Latency Distribution (HdrHistogram - %s)%n",
                r.config().ratePerSecond() > 0 ? "Recorded Latency" : "Uncorrected Latency (closed loop)");
        for (double p : PERCENTILES) {
            out.printf(Locale.ROOT, "%7.3f%%%s%n", p, units(timeUs(lat.getTotalCount() == 0 ? 0 : lat.getValueAtPercentile(p)), 10));
        }
        out.printf("%n  Detailed Percentile spectrum:%n");
        writeHgrm(r, out);
        out.println("----------------------------------------------------------");
    }

    /**
     * Thread: any. HdrHistogram's percentile distribution of the latencies, in milliseconds: the
     * format of {@code Histogram.outputPercentileDistribution}, which HdrHistogram's plotter reads.
     *
     * @param r   the result
     * @param out where to write
     */
    public static void writeHgrm(BenchResult r, PrintStream out) {
        r.latencyUs().outputPercentileDistribution(out, 5, 1000.0);
    }

    /**
     * Thread: any.
     *
     * @return the header line matching {@link #csvLine}
     */
    public static String csvHeader() {
        return CSV_HEADER;
    }

    /**
     * Thread: any. One CSV line, latencies in microseconds.
     *
     * @param r the result
     * @return the line, without a line break
     */
    public static String csvLine(BenchResult r) {
        BenchConfig c = r.config();
        Histogram h = r.latencyUs();
        return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.3f,%d,%.2f,%.1f,%.1f,%.1f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.1f,%.0f",
                c.url(), c.threads(), c.connections(), c.pipeline(), c.ratePerSecond(), r.elapsedNs() / 1e9, r.requests(),
                r.requestsPerSecond(), r.bytesPerSecond(), h.getMean(), h.getStdDeviation(), pct(h, 50), pct(h, 90),
                pct(h, 99), pct(h, 99.9), h.getMaxValue(), r.errors(HttpBench.ErrorKind.CONNECT),
                r.errors(HttpBench.ErrorKind.READ) + r.errors(HttpBench.ErrorKind.PARSE),
                r.errors(HttpBench.ErrorKind.WRITE), r.errors(HttpBench.ErrorKind.TIMEOUT), r.non2xx3xx(),
                r.loopCpuPercent(), r.loopCpuNsPerRequest());
    }

    /**
     * Thread: any. One JSON object on one line; latencies in microseconds.
     *
     * @param r the result
     * @return the object, without a line break
     */
    public static String json(BenchResult r) {
        BenchConfig c = r.config();
        Histogram h = r.latencyUs();
        StringBuilder percentiles = new StringBuilder();
        for (double p : PERCENTILES) {
            percentiles.append(percentiles.length() == 0 ? "" : ",").append('"').append(trim(p)).append("\":")
                    .append(pct(h, p));
        }
        String statuses = r.statusCounts().entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(","));
        String errors = r.errors().entrySet().stream()
                .map(e -> "\"" + e.getKey().name().toLowerCase(Locale.ROOT) + "\":" + e.getValue())
                .collect(Collectors.joining(","));
        return String.format(Locale.ROOT, "{\"url\":\"%s\",\"threads\":%d,\"connections\":%d,\"pipeline\":%d,"
                        + "\"rate\":%d,\"duration_s\":%.3f,\"requests\":%d,\"requests_per_s\":%.2f,\"bytes\":%d,"
                        + "\"bytes_per_s\":%.1f,\"latency_us\":{\"mean\":%.1f,\"stdev\":%.1f,\"max\":%d,"
                        + "\"percentiles\":{%s}},\"status\":{%s},\"errors\":{%s},\"connects\":%d,"
                        + "\"loop_cpu_pct\":%.1f,\"loop_cpu_ns_per_request\":%.0f}",
                escape(c.url().toString()), c.threads(), c.connections(), c.pipeline(), c.ratePerSecond(),
                r.elapsedNs() / 1e9, r.requests(), r.requestsPerSecond(), r.bytesRead(), r.bytesPerSecond(), h.getMean(),
                h.getStdDeviation(), h.getMaxValue(), percentiles, statuses, errors, r.connects(),
                nanToMinusOne(r.loopCpuPercent()), nanToMinusOne(r.loopCpuNsPerRequest()));
    }

    private static double nanToMinusOne(double v) {
        return Double.isNaN(v) ? -1 : v;
    }

    private static long pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
    }

    private static String trim(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** wrk's print_units: right-aligned in {@code width}, padded so that unit letters line up. */
    static String units(String text, int width) {
        int len = text.length();
        int pad = 2;
        if (len > 0 && Character.isLetter(text.charAt(len - 1))) {
            pad--;
        }
        if (len > 1 && Character.isLetter(text.charAt(len - 2))) {
            pad--;
        }
        int w = width - pad;
        String field = text.length() > w ? text.substring(0, w) : text;
        return String.format(Locale.ROOT, "%" + w + "s", field) + "  ".substring(0, pad);
    }

    /** wrk's format_time_us: {@code 635.91us}, {@code 1.12ms}, {@code 2.00s}. */
    static String timeUs(double us) {
        if (us < 1000) {
            return String.format(Locale.ROOT, "%.2fus", us);
        }
        if (us < 1_000_000) {
            return String.format(Locale.ROOT, "%.2fms", us / 1e3);
        }
        return String.format(Locale.ROOT, "%.2fs", us / 1e6);
    }

    /** wrk's format_metric: {@code 40.12k}, {@code 1.20M}, base 1000. */
    static String metric(double n) {
        String[] units = {"", "k", "M", "G"};
        int u = 0;
        while (n >= 1000 && u < units.length - 1) {
            n /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", n, units[u]);
    }

    /** wrk's format_binary: {@code 98.25M}, {@code 512.00}, base 1024 (wrk appends the B). */
    static String binary(double n) {
        String[] units = {"", "K", "M", "G", "T"};
        int u = 0;
        while (n >= 1024 && u < units.length - 1) {
            n /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", n, units[u]);
    }
}
