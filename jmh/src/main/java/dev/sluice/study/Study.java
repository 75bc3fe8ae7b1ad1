package dev.sluice.study;

import dev.sluice.samples.Durations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The comparison harness: every server in its own JVM with the same flags, the project's load generator in
 * another, a sweep over connection counts and traffic shapes, and per point: throughput, latency
 * percentiles, server RSS, threads, CPU per message and the loop's own counters. Writes a CSV, a Markdown
 * table and SVG charts.
 *
 * <p>Run: {@code java -cp jmh/target/benchmarks.jar dev.sluice.study.Study --quick}
 */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Blocking vs non-blocking, measured side by side: servers and load each in their own JVM.")
public final class Study implements Callable<Integer> {

    @Option(names = "--servers", split = ",", paramLabel = "KIND",
            description = "Servers to compare: sluice, sluice-spin (polls before parking), netty, blocking-platform, "
                    + "blocking-virtual (virtual needs --java); with N loops: sluice-handoff-N, sluice-reuseport-N, "
                    + "netty-N (use --no-pin: pinning puts every loop on CPU 0); over TLS (JDK SSLEngine, one loop, "
                    + "a self-signed EC P-256 certificate made for the run, load --tls -k): sluice-tls, netty-tls. "
                    + "Default: sluice,netty,blocking-platform, plus blocking-virtual when --java is given.")
    List<String> servers;

    @Option(names = "--connections", split = ",", paramLabel = "N",
            description = "Connection counts to sweep. Default: 1,10,100,1000,5000,10000 (10000 only if the fd limit allows).")
    List<Integer> connections;

    @Option(names = "--shapes", split = ",", paramLabel = "SHAPE",
            description = "Traffic: pingpong (64 B, depth 1), pipelined (64 B, depth 16), stream (16 KiB, depth 4). Default: all.")
    List<Shape> shapes;

    @Option(names = {"-w", "--warmup"}, paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "JIT warm-up per point, e.g. 10s. Default: 10s (1s with --quick or --tiny).")
    Duration warmup;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Measured window per point, e.g. 10s. Default: 10s (2s with --quick, 1s with --tiny).")
    Duration duration;

    @Option(names = "--rates", split = ",", paramLabel = "PERCENT",
            description = "Open-loop points: fixed rates at these percentages of each server's closed-loop peak "
                    + "(per shape, at the peak's connection count), 0 for none. Default: 50,80,95 (50 with --tiny).")
    List<Integer> rates;

    @Option(names = "--idle-connections", paramLabel = "N",
            description = "Idle connections for the heap-per-connection measurement (default 10000; 0 skips it).")
    Integer idleConnections;

    @Option(names = "--quick", description = "About three minutes: 1,100,1000 connections, ping-pong, 1s warm-up, 2s "
            + "measured, 1000 idle. Only sets what is not given explicitly.")
    boolean quick;

    @Option(names = "--tiny", description = "A few seconds, for CI: sluice and blocking-platform, 1 and 10 connections, "
            + "ping-pong, 1s, one open-loop point. Only sets what is not given explicitly.")
    boolean tiny;

    @Option(names = "--java", paramLabel = "PATH", description = "A JDK 21+ java binary for the virtual-thread server.")
    String java21;

    @Option(names = "--no-pin", description = "Do not pin the server and the load generator to separate CPUs with taskset.")
    boolean noPin;

    @Option(names = "--jvm-flags", defaultValue = "-Xms1g -Xmx1g -XX:+UseG1GC", paramLabel = "FLAGS",
            description = "Flags for every child JVM (default: ${DEFAULT-VALUE}).")
    String jvmFlags;

    @Option(names = "--out", defaultValue = "study-results", paramLabel = "DIR", description = "Where results go (default ${DEFAULT-VALUE}).")
    Path out;

    /** A traffic shape: message size and messages in flight per connection. */
    enum Shape {
        pingpong(64, 1), pipelined(64, 16), stream(16 * 1024, 4);

        final int size;
        final int depth;

        Shape(int size, int depth) {
            this.size = size;
            this.depth = depth;
        }
    }

    /** The command line as typed, for results.md. */
    private String[] args = new String[0];

    /**
     * Thread: the JVM's main thread. Runs the study the command line describes and exits with its status.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        Study study = new Study();
        study.args = args.clone();
        CommandLine cl = new CommandLine(study);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("study: " + ex.getMessage());
            return 1;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        StudyPlan plan = plan();
        Files.createDirectories(out);
        PrintStream progress = System.err;
        progress.printf("study: %d servers x %d shapes x %d connection counts (+ open loop at %s%% of peak), %s warm-up "
                + "+ %s each%s%n", plan.servers().size(), plan.shapes().size(), plan.connections().size(), plan.rates(),
                Durations.format(plan.warmup()), Durations.format(plan.duration()),
                plan.pin() ? ", server on CPU 0, load on CPU 1" : "");
        List<StudyRow> rows;
        List<IdleRow> idle;
        // One certificate per run, in a temporary directory, loaded by every TLS server; null (nothing to
        // close) when the run has no TLS kind.
        try (SelfSignedCert cert = plan.servers().stream().anyMatch(StudyServer::isTls) ? SelfSignedCert.inTempDir() : null) {
            StudyRunner runner = new StudyRunner(plan, out, progress, cert);
            rows = runner.runSweep();
            idle = runner.runIdle();
        }
        StudyReport.write(plan, rows, idle, out);
        progress.println("study: wrote " + out.resolve("results.csv") + ", results.md and charts");
        return rows.stream().anyMatch(r -> r.errors() != 0) ? 1 : 0;
    }

    StudyPlan plan() {
        List<String> kinds = servers;
        if (kinds == null) {
            kinds = new ArrayList<>(List.of("sluice", "netty", "blocking-platform"));
            if (java21 != null) {
                kinds.add("blocking-virtual");
            }
        }
        if (kinds.contains("blocking-virtual") && java21 == null && Runtime.version().feature() < 21) {
            throw new IllegalArgumentException("blocking-virtual needs a JDK 21+: pass --java /path/to/jdk21+/bin/java");
        }
        List<Integer> counts = connections;
        List<Shape> sh = shapes == null ? List.of(Shape.values()) : shapes;
        // --quick and --tiny fill in only what was not given: an explicit option always wins.
        Duration warm = warmup != null ? warmup : Duration.ofSeconds(tiny || quick ? 1 : 10);
        Duration dur = duration != null ? duration : Duration.ofSeconds(tiny ? 1 : quick ? 2 : 10);
        List<Integer> pcts = rates != null ? rates : tiny ? List.of(50) : List.of(50, 80, 95);
        int idle = idleConnections == null ? 10_000 : idleConnections;
        if (tiny) {
            kinds = servers == null ? List.of("sluice", "blocking-platform") : kinds;
            counts = counts == null ? List.of(1, 10) : counts;
            sh = shapes == null ? List.of(Shape.pingpong) : sh;
            idle = idleConnections == null ? 100 : idle;
        } else if (quick) {
            counts = counts == null ? List.of(1, 100, 1000) : counts;
            sh = shapes == null ? List.of(Shape.pingpong) : sh;
            idle = idleConnections == null ? 1000 : idle;
        }
        pcts = pcts.stream().filter(p -> p > 0).toList();
        if (counts == null) {
            counts = new ArrayList<>(List.of(1, 10, 100, 1000, 5000));
            if (FdLimit.allows(2 * 10_000 + 200)) {
                counts.add(10_000);
            }
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new StudyPlan(List.copyOf(kinds), List.copyOf(counts), List.copyOf(sh), warm, dur, pcts, idle,
                javaBin, java21, List.of(jvmFlags.trim().split("\\s+")), !noPin && Child.hasTaskset(),
                System.getProperty("java.class.path"), "java -cp jmh/target/benchmarks.jar " + Study.class.getName()
                        + (args.length == 0 ? "" : " " + String.join(" ", args)));
    }

    /** The open-files limit of this process, which child processes inherit. */
    static final class FdLimit {
        private FdLimit() {
        }

        static boolean allows(long needed) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                    if (line.startsWith("Max open files")) {
                        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                        return soft.equals("unlimited") || Long.parseLong(soft) >= needed;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
            return false;
        }
    }
}
