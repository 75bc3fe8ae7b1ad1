package dev.sluice.samples.demo;

import dev.sluice.samples.Durations;
import dev.sluice.samples.echo.BlockingEchoServer;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.samples.echo.ThreadKind;
import dev.sluice.samples.load.LoadConfig;
import dev.sluice.samples.load.LoadGenerator;
import dev.sluice.samples.load.LoadResult;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The README's main command: the event-loop echo server and its blocking twin (platform threads), both
 * in this process on ephemeral ports, each driven in turn by the same load generator at a few connection
 * counts; then a side-by-side table.
 *
 * <p>Thread: {@link #run} blocks its caller for the whole demo.
 */
public final class Demo {

    /**
     * What to run.
     *
     * <p>Thread: any (immutable).
     *
     * @param connectionCounts the connection counts, in order
     * @param messageBytes     bytes per message
     * @param depth            messages in flight per connection
     * @param duration         measured time per run
     * @param warmup           discarded time before each run
     */
    public record Plan(List<Integer> connectionCounts, int messageBytes, int depth, Duration duration, Duration warmup) {
        /**
         * Validates the plan.
         *
         * @throws IllegalArgumentException when a value is out of range
         */
        public Plan {
            connectionCounts = List.copyOf(connectionCounts);
            if (connectionCounts.isEmpty() || connectionCounts.stream().anyMatch(n -> n <= 0)) {
                throw new IllegalArgumentException("connection counts must be > 0, got " + connectionCounts);
            }
        }

        /**
         * 1, 10 and 100 connections of 64-byte ping-pong, 3 s each after 1 s of warmup: about 25 s in all.
         *
         * <p>Thread: any.
         *
         * @return the default plan
         */
        public static Plan defaults() {
            return new Plan(List.of(1, 10, 100), 64, 1, Duration.ofSeconds(3), Duration.ofSeconds(1));
        }
    }

    /**
     * One line of the table: both servers at one connection count.
     *
     * <p>Thread: any (immutable).
     *
     * @param connections     the connection count
     * @param nio             the event-loop server's result
     * @param nioThreads      threads the event-loop server used
     * @param blocking        the blocking server's result
     * @param blockingThreads threads the blocking server used at most
     */
    public record Row(int connections, LoadResult nio, int nioThreads, LoadResult blocking, int blockingThreads) {
    }

    private Demo() {
    }

    /**
     * Runs the plan: for each connection count, the event-loop server then the blocking one.
     *
     * <p>Thread: any; blocks for the whole demo.
     *
     * @param plan     what to run
     * @param progress one line per run as it finishes, or {@code null}
     * @return one row per connection count
     * @throws IOException          when a server cannot listen
     * @throws InterruptedException when interrupted
     */
    public static List<Row> run(Plan plan, PrintStream progress) throws IOException, InterruptedException {
        PrintStream log = progress != null ? progress : System.err;
        List<Row> rows = new ArrayList<>();
        try (EchoServer nio = EchoServer.start(ServerConfig.defaults(), log);
             BlockingEchoServer blocking = BlockingEchoServer.start(ServerConfig.defaults(), ThreadKind.PLATFORM, log)) {
            for (int n : plan.connectionCounts()) {
                LoadResult a = drive(plan, nio.address(), n, "nio", progress);
                // The client side sees each close before the server thread behind it has ended.
                blocking.awaitNoConnections(Duration.ofSeconds(10));
                blocking.resetPeakThreads();
                LoadResult b = drive(plan, blocking.address(), n, "blocking", progress);
                rows.add(new Row(n, a, nio.serverThreads(), b, blocking.peakThreads()));
            }
        }
        return rows;
    }

    private static LoadResult drive(Plan plan, InetSocketAddress address, int connections, String name,
                                    PrintStream progress) throws InterruptedException {
        LoadConfig config = LoadConfig.to(address).withConnections(connections).withMessageBytes(plan.messageBytes())
                .withDepth(plan.depth()).withTimes(plan.duration(), plan.warmup());
        LoadResult r = LoadGenerator.run(config, progress != null ? progress : System.err);
        if (progress != null) {
            progress.printf(Locale.ROOT, "demo: %-8s %5d connections %,12.0f msgs/s  p99 %s%s%n", name, connections,
                    r.messagesPerSecond(), Durations.latency(r.percentileNs(99)),
                    r.ok() ? "" : "  ERRORS " + r.errors() + " " + r.errorSamples());
        }
        return r;
    }

    /**
     * Prints the side-by-side table.
     *
     * <p>Thread: any.
     *
     * @param plan what was run
     * @param rows the results
     * @param out  where to print
     */
    public static void printTable(Plan plan, List<Row> rows, PrintStream out) {
        out.printf(Locale.ROOT, "%d-byte messages, depth %d%s, %s measured after %s warmup per run; one load generator "
                        + "(1 event-loop thread) in the same JVM; %d CPUs, Java %s%n",
                plan.messageBytes(), plan.depth(), plan.depth() == 1 ? " (ping-pong)" : "", Durations.format(plan.duration()),
                Durations.format(plan.warmup()), Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.println();
        out.printf("%11s | %-40s | %-40s | %s%n", "", "  NIO echo (sluice event loop)", "  blocking echo (platform threads)",
                "NIO vs");
        out.printf("%11s | %12s %9s %9s %7s | %12s %9s %9s %7s | %s%n", "connections",
                "msgs/s", "p50", "p99", "threads", "msgs/s", "p50", "p99", "threads", "blocking");
        long errors = 0;
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%11d | %,12.0f %9s %9s %7d | %,12.0f %9s %9s %7d | %7.2fx%n", r.connections(),
                    r.nio().messagesPerSecond(), lat(r.nio(), 50), lat(r.nio(), 99), r.nioThreads(),
                    r.blocking().messagesPerSecond(), lat(r.blocking(), 50), lat(r.blocking(), 99), r.blockingThreads(),
                    r.nio().messagesPerSecond() / Math.max(1e-9, r.blocking().messagesPerSecond()));
            errors += r.nio().errorCount() + r.blocking().errorCount()
                    + (r.nio().ok() ? 0 : 1) + (r.blocking().ok() ? 0 : 1);
        }
        out.println();
        out.println(errors == 0 ? "errors: none; every echoed byte verified"
                : "ERRORS in some runs: see the lines above; those numbers are not to be trusted");
    }

    /**
     * Thread: any.
     *
     * @param rows the results
     * @return whether every run was clean
     */
    public static boolean allOk(List<Row> rows) {
        return rows.stream().allMatch(r -> r.nio().ok() && r.blocking().ok());
    }

    private static String lat(LoadResult r, double percentile) {
        return Durations.latency(r.percentileNs(percentile));
    }
}
