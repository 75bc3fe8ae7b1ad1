package dev.sluice.study;

/**
 * One measured point. Latencies in microseconds; NaN where a value does not apply (loop counters of a
 * server without a Sluice loop) or could not be read.
 */
record StudyRow(String server, Study.Shape shape, int connections, double msgsPerSecond, double mibPerSecond,
                double p50us, double p99us, double p999us, long errors, double rssMiB, long threads,
                double cpuUsPerMsg, double syscallsPerMsg, long partialWrites) {
}
