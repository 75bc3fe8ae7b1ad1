package dev.sluice.study;

/**
 * One measured point. Latencies in microseconds; NaN where a value does not apply (loop counters of a
 * server without a Sluice loop) or could not be read.
 *
 * <p>{@code ratePercent} is 0 for a closed-loop point (as fast as replies allow) and otherwise the
 * open-loop rate as a percentage of the server's closed-loop peak, {@code targetRate} messages per
 * second, latency from intended send times. {@code loadCpuPct} is the load generator's loop thread CPU
 * over the window, in percent of one core.
 */
record StudyRow(String server, Study.Shape shape, int connections, int ratePercent, long targetRate,
                double msgsPerSecond, double mibPerSecond, double p50us, double p99us, double p999us, long errors,
                double rssMiB, long threads, double cpuUsPerMsg, double syscallsPerMsg, long partialWrites,
                double loadCpuPct) {

    /** At or above this share of a core, the load generator itself may be what limits the point. */
    static final double SATURATED_CPU_PCT = 90;

    /**
     * Why the point does not measure the server alone, or null: the generator's loop was (nearly) busy
     * the whole window, or an open-loop point fell short of its rate.
     */
    String saturation() {
        if (loadCpuPct >= SATURATED_CPU_PCT) {
            return String.format(java.util.Locale.ROOT, "load generator at %.0f%% CPU", loadCpuPct);
        }
        if (ratePercent > 0 && msgsPerSecond < 0.95 * targetRate) {
            return String.format(java.util.Locale.ROOT, "%.0f%% of the rate achieved", 100 * msgsPerSecond / targetRate);
        }
        return null;
    }
}
