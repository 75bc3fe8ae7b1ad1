package dev.sluice.samples.soak;

import dev.sluice.samples.Durations;
import dev.sluice.CloseReason;
import dev.sluice.LoopStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * {@code soak}: mixed load with hostile peers against one loop, for as long as asked, printing every
 * interval what must not grow: heap after a full GC, direct memory, open file descriptors, threads and
 * open connections, next to the errors (which must stay at zero) and the close reasons (which show each
 * hostile peer getting its outcome). At the end it compares the last third of the run with the first
 * and exits 1 if anything grew or any error was counted.
 *
 * <p>Not run by CI: {@code java -cp <samples classpath> dev.sluice.samples.soak.SoakCommand --duration 10m}.
 *
 * <p>Thread: the main thread samples and prints; the server, clients and peers run on their own threads.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Mixed load with hostile peers for a long time; prints what must not grow.",
        description = "Runs a line-echo server on one loop, well-behaved echo clients, and hostile peers of "
                + "every kind (never reads, slow reader, slowloris, silent, half-close, reset mid-write, "
                + "accept storm, endless line, vanish). Every interval it prints heap after GC, open file "
                + "descriptors, connections and error counts. Exit status 1 if anything grew or any "
                + "well-behaved client saw an error.")
public final class SoakCommand implements Callable<Integer> {
    /** The close reasons shown in the table, in column order. */
    static final CloseReason[] SHOWN = {
        CloseReason.IDLE_TIMEOUT, CloseReason.WRITE_TIMEOUT, CloseReason.DEADLINE_EXCEEDED,
        CloseReason.OUTPUT_OVERFLOW, CloseReason.PEER_RESET, CloseReason.REJECTED, CloseReason.LOCAL,
        CloseReason.PEER_CLOSED,
    };

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--duration"}, defaultValue = "10m", converter = Durations.Converter.class,
            paramLabel = "DURATION", description = "How long to run, e.g. 90s, 10m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--interval", defaultValue = "10s", converter = Durations.Converter.class, paramLabel = "DURATION",
            description = "How often to print a row (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--clients", defaultValue = "20",
            description = "Well-behaved echo clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = {"-R", "--rate"}, defaultValue = "100", paramLabel = "LINES_PER_S",
            description = "Lines per second each echo client sends (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--hostile", defaultValue = "2",
            description = "Hostile peers of each kind (default: ${DEFAULT-VALUE}).")
    int hostilePerKind;

    @Option(names = "--storm", defaultValue = "300",
            description = "Connections per accept storm (default: ${DEFAULT-VALUE}).")
    int storm;

    @Option(names = "--max-connections", defaultValue = "256",
            description = "The server's connection limit; storms beyond it are rejected (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    private final PrintStream out;

    /** A soak command printing to standard output. */
    public SoakCommand() {
        this(System.out);
    }

    /**
     * A soak command printing to {@code out}.
     *
     * @param out where the rows go
     */
    public SoakCommand(PrintStream out) {
        this.out = out;
    }

    /**
     * Thread: the JVM's main thread. Runs the soak on its own, without the samples' main command.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SoakCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (interval.isZero() || interval.isNegative() || duration.compareTo(interval) < 0) {
            throw new ParameterException(spec.commandLine(), "--interval must be positive and no longer than --duration");
        }
        if (clients < 0 || rate <= 0 || hostilePerKind < 0 || storm < 0 || maxConnections <= 0) {
            throw new ParameterException(spec.commandLine(),
                    "--clients, --hostile and --storm must be >= 0; --rate and --max-connections > 0");
        }
        List<SoakSample> samples = new ArrayList<>();
        try (SoakServer server = SoakServer.start(maxConnections)) {
            out.printf("soak: %s against %s, %d echo clients at %d lines/s, %d hostile peers of each of %d kinds, "
                            + "storms of %d, max %d connections%n", duration, server.address(), clients, rate,
                    hostilePerKind, HostileClients.Kind.values().length, storm, maxConnections);
            out.println(SoakSample.HEADER);
            EchoClients echo = EchoClients.start(server.address(), clients, rate);
            HostileClients hostile = HostileClients.start(server.address(), hostilePerKind, storm);
            long start = System.nanoTime();
            LoopStats previous = server.loop.stats();
            try {
                for (long next = start + interval.toNanos(); next - start <= duration.toNanos(); next += interval.toNanos()) {
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                    LoopStats now = server.loop.stats();
                    SoakSample s = SoakSample.take(System.nanoTime() - start, echo, hostile, previous, now,
                            interval.toNanos());
                    previous = now;
                    samples.add(s);
                    out.println(s.row());
                    out.flush();
                }
            } finally {
                hostile.close();
                echo.close();
            }
            return verdict(samples, server);
        }
    }

    /** Compares the last third of the run with the first; any error or growth fails the soak. */
    private int verdict(List<SoakSample> samples, SoakServer server) {
        int third = Math.max(1, samples.size() / 3);
        List<SoakSample> first = samples.subList(0, third);
        List<SoakSample> last = samples.subList(samples.size() - third, samples.size());
        SoakSample end = samples.get(samples.size() - 1);
        boolean ok = true;
        // The load is a sawtooth (storms come and go), so compare floors: a leak raises the floor.
        ok &= flat("heap after GC (MiB)", min(first, SoakSample::heapMiB), min(last, SoakSample::heapMiB), 4);
        ok &= flat("direct memory (MiB)", min(first, SoakSample::directMiB), min(last, SoakSample::directMiB), 4);
        ok &= flat("open fds", min(first, s -> s.fds), min(last, s -> s.fds), 16);
        ok &= flat("threads", min(first, s -> s.threads), min(last, s -> s.threads), 2);
        ok &= flat("connections", min(first, s -> s.connections), min(last, s -> s.connections), 16);
        ok &= zero("echo errors", end.echoErrors);
        ok &= zero("hostile-visible failures", end.hostileFailures);
        ok &= zero("handler errors", end.handlerErrors);
        out.printf(Locale.ROOT, "soak: %d lines echoed byte-exact over %d connections, %d hostile cycles, "
                        + "%d rejections retried, %d accept errors, %d loop errors reported%n",
                end.echoes, end.echoConnections, end.hostileCycles, end.rejectionsRetried, end.acceptErrors,
                server.loopErrors());
        out.println(ok ? "soak: PASS - nothing grew, no errors" : "soak: FAIL");
        return ok ? 0 : 1;
    }

    private boolean flat(String what, double first, double last, double slack) {
        boolean ok = last <= first * 1.10 + slack;
        out.printf(Locale.ROOT, "soak: %-20s lowest in first third %8.1f, in last third %8.1f: %s%n", what, first, last,
                ok ? "flat" : "GREW");
        return ok;
    }

    private boolean zero(String what, long count) {
        if (count != 0) {
            out.printf(Locale.ROOT, "soak: %s: %d%n", what, count);
        }
        return count == 0;
    }

    private static double min(List<SoakSample> s, ToDoubleFunction<SoakSample> f) {
        return s.stream().mapToDouble(f).min().orElse(0);
    }

}
