package dev.sluice.study;

import dev.sluice.samples.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the sweep: for each server a fresh JVM (CPU 0), for each point a load-generator JVM (CPU 1) that
 * warms up and then measures; around each point it reads the server's CPU time and counters, and while the
 * load runs it samples the server's RSS and thread count from /proc.
 *
 * <p>TLS kinds ({@link StudyServer#isTls}) load the run's one certificate; their load generator is
 * {@code load --tls -k} (it trusts the self-signed certificate without checking it), and their idle
 * clients complete a handshake before they go quiet.
 *
 * <p>Thread: one caller.
 */
final class StudyRunner {
    private static final String LOAD_MAIN = "dev.sluice.samples.Main";

    private final StudyPlan plan;
    private final Path out;
    private final PrintStream progress;
    private final Path stderrLog;
    /** The certificate every TLS server of the run loads, or null when the run has no TLS kind. */
    private final SelfSignedCert cert;
    private int done;

    StudyRunner(StudyPlan plan, Path out, PrintStream progress, SelfSignedCert cert) {
        this.plan = plan;
        this.cert = cert;
        this.out = out;
        this.progress = progress;
        this.stderrLog = out.resolve("children.log");
    }

    List<StudyRow> runSweep() throws Exception {
        List<StudyRow> rows = new ArrayList<>();
        int total = plan.servers().size() * plan.shapes().size() * (plan.connections().size() + plan.rates().size());
        long started = System.nanoTime();
        for (String server : plan.servers()) {
            try (Child s = startServer(server)) {
                int port = Integer.parseInt(s.await("PORT "));
                for (Study.Shape shape : plan.shapes()) {
                    StudyRow peak = null;
                    for (int n : plan.connections()) {
                        StudyRow row = runPoint(s, server, port, shape, n, 0, 0);
                        rows.add(row);
                        report(row, total, started);
                        if (row.errors() == 0 && (peak == null || row.msgsPerSecond() > peak.msgsPerSecond())) {
                            peak = row;
                        }
                    }
                    for (int pct : plan.rates()) {
                        if (peak != null && peak.msgsPerSecond() > 0) {
                            long rate = Math.max(peak.connections(), Math.round(peak.msgsPerSecond() * pct / 100));
                            rows.add(report(runPoint(s, server, port, shape, peak.connections(), pct, rate), total, started));
                        }
                    }
                }
                s.send("quit");
            }
        }
        return rows;
    }

    private StudyRow report(StudyRow row, int total, long started) {
        done++;
        String saturation = row.saturation();
        progress.printf(Locale.ROOT, "[%d/%d %4.0fs] %-17s %-9s %6d conns %-9s: %,12.0f msg/s  p99 %,9.1f us  rss %6.0f MiB"
                        + "  load cpu %3.0f%%  %s%s%n",
                done, total, (System.nanoTime() - started) / 1e9, row.server(), row.shape(), row.connections(),
                row.ratePercent() == 0 ? "closed" : row.ratePercent() + "% peak", row.msgsPerSecond(), row.p99us(),
                row.rssMiB(), row.loadCpuPct(), row.errors() == 0 ? "ok" : "ERRORS " + row.errors(),
                saturation == null ? "" : "  SATURATED (" + saturation + ")");
        return row;
    }

    List<IdleRow> runIdle() throws Exception {
        List<IdleRow> rows = new ArrayList<>();
        int n = plan.idleConnections();
        if (n <= 0) {
            return rows;
        }
        for (String server : plan.servers()) {
            try (Child s = startServer(server)) {
                int port = Integer.parseInt(s.await("PORT "));
                s.send("heap");
                long heap0 = Long.parseLong(s.await("HEAP "));
                long rss0 = ProcInfo.rssKiB(s.pid());
                List<String> idleArgs = new ArrayList<>(List.of("127.0.0.1", Integer.toString(port), Integer.toString(n)));
                if (StudyServer.isTls(server)) {
                    idleArgs.add(IdleClients.TLS);
                }
                try (Child idle = Child.java(plan.javaBin(), plan.jvmFlags(), plan.classpath(), loadCpu(), stderrLog,
                        IdleClients.class.getName(), idleArgs.toArray(String[]::new))) {
                    idle.await("READY ");
                    s.send("heap");
                    long heap1 = Long.parseLong(s.await("HEAP "));
                    long rss1 = ProcInfo.rssKiB(s.pid());
                    IdleRow row = new IdleRow(server, n, (heap1 - heap0) / (double) n,
                            rss0 < 0 || rss1 < 0 ? Double.NaN : (rss1 - rss0) * 1024.0 / n, ProcInfo.threads(s.pid()));
                    rows.add(row);
                    progress.printf(Locale.ROOT, "idle %-17s %6d conns: %,8.0f heap bytes/conn  %,8.0f RSS bytes/conn  %d threads%n",
                            server, n, row.heapBytesPerConnection(), row.rssBytesPerConnection(), row.threads());
                    idle.closeStdin();
                }
                s.send("quit");
            }
        }
        return rows;
    }

    private Child startServer(String server) throws IOException {
        String[] args = StudyServer.isTls(server)
                ? new String[] {server, tlsCert().certPem.toString(), tlsCert().keyPem.toString()}
                : new String[] {server};
        return Child.java(plan.javaFor(server), plan.jvmFlags(), plan.classpath(), plan.pin() ? 0 : -1, stderrLog,
                StudyServer.class.getName(), args);
    }

    private SelfSignedCert tlsCert() {
        if (cert == null) {
            throw new IllegalStateException("a TLS server kind in a run without a certificate");
        }
        return cert;
    }

    private int loadCpu() {
        return plan.pin() ? 1 : -1;
    }

    private StudyRow runPoint(Child server, String kind, int port, Study.Shape shape, int n, int pct, long rate)
            throws Exception {
        Map<String, Long> before = stats(server);
        AtomicLong peakRssKiB = new AtomicLong(-1);
        AtomicLong peakThreads = new AtomicLong(-1);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRssKiB.accumulateAndGet(ProcInfo.rssKiB(server.pid()), Math::max);
                peakThreads.accumulateAndGet(ProcInfo.threads(server.pid()), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "study-sampler");
        sampler.setDaemon(true);
        sampler.start();
        List<String> lines;
        int exit;
        try (Child load = Child.java(plan.javaBin(), plan.jvmFlags(), plan.classpath(), loadCpu(), stderrLog, LOAD_MAIN,
                loadArgs(kind, port, shape, n, rate))) {
            lines = load.drain();
            exit = load.waitFor(60);
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        Map<String, Long> after = stats(server);
        String[] csv = lastCsvLine(lines);
        if (csv == null) {
            progress.printf("study: load generator exited %d without a result for %s %s %d (see %s)%n",
                    exit, kind, shape, n, stderrLog);
            return new StudyRow(kind, shape, n, pct, rate, 0, 0, Double.NaN, Double.NaN, Double.NaN, -1,
                    peakRssKiB.get() / 1024.0, peakThreads.get(), Double.NaN, Double.NaN, -1, Double.NaN);
        }
        double msgsEchoed = (after.get("bytes") - before.get("bytes")) / (double) shape.size;
        double cpuUs = (after.get("cpu_ns") - before.get("cpu_ns")) / 1e3;
        boolean hasLoop = after.get("reads") >= 0;
        double syscalls = hasLoop
                ? (after.get("reads") - before.get("reads") + after.get("writes") - before.get("writes")
                        + after.get("selects") - before.get("selects")) / Math.max(1, msgsEchoed)
                : Double.NaN;
        return new StudyRow(kind, shape, n, pct, rate, Double.parseDouble(csv[7]), Double.parseDouble(csv[8]),
                Double.parseDouble(csv[9]), Double.parseDouble(csv[11]), Double.parseDouble(csv[12]),
                Long.parseLong(csv[14]) + (exit == 0 ? 0 : 1), peakRssKiB.get() / 1024.0, peakThreads.get(),
                msgsEchoed > 0 ? cpuUs / msgsEchoed : Double.NaN, syscalls,
                hasLoop ? after.get("partial") - before.get("partial") : -1, Double.parseDouble(csv[15]));
    }

    /** The load generator's command line; over TLS it trusts the run's self-signed certificate unchecked. */
    String[] loadArgs(String kind, int port, Study.Shape shape, int n, long rate) {
        List<String> args = new ArrayList<>(List.of("load", "127.0.0.1:" + port));
        if (StudyServer.isTls(kind)) {
            args.addAll(List.of("--tls", "-k"));
        }
        args.addAll(List.of("--connections", Integer.toString(n), "--size", Integer.toString(shape.size),
                "--depth", Integer.toString(shape.depth), "--duration", Durations.format(plan.duration()),
                "--warmup", Durations.format(plan.warmup()), "--rate", Long.toString(rate), "--csv", "-", "--no-progress"));
        return args.toArray(String[]::new);
    }

    private static Map<String, Long> stats(Child server) throws IOException {
        server.send("stats");
        Map<String, Long> m = new HashMap<>();
        for (String kv : server.await("STATS ").split(" ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return m;
    }

    /** The load generator's CSV: a header starting "target," and then the data line. */
    private static String[] lastCsvLine(List<String> lines) {
        for (int i = lines.size() - 1; i > 0; i--) {
            if (lines.get(i - 1).startsWith("target,")) {
                String[] f = lines.get(i).split(",");
                return f.length >= 16 ? f : null;
            }
        }
        return null;
    }
}
