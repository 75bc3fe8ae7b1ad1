package dev.sluice.samples.cli;

import dev.sluice.samples.Durations;
import dev.sluice.samples.CliException;
import dev.sluice.samples.Io;
import dev.sluice.samples.demo.Demo;
import dev.sluice.samples.OldSpellings;
import dev.sluice.samples.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code demo}: both servers side by side under the same load.
 *
 * <p>Thread: the main thread.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        header = "NIO echo vs blocking echo, side by side, in under a minute.",
        description = "Starts the event-loop echo server and the blocking one (platform threads) in this "
                + "process on free ports, drives each in turn with the same load generator at a few connection "
                + "counts, and prints a side-by-side table. About 25 s with the defaults.")
final class DemoCommand implements Callable<Integer> {
    private final Io io;

    @Option(names = {"-c", "--connections"}, split = ",", defaultValue = "1,10,100", paramLabel = "N[,N...]",
            description = "Connection counts. Default: ${DEFAULT-VALUE}.")
    List<Integer> connections;

    @Option(names = {"-s", "--size"}, defaultValue = "64", paramLabel = "BYTES", converter = Sizes.IntConverter.class,
            description = "Bytes per message. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--depth", defaultValue = "1", paramLabel = "N",
            description = "Messages in flight per connection. Default: ${DEFAULT-VALUE}.")
    int depth;

    @Option(names = {"-d", "--duration"}, defaultValue = "3s", paramLabel = "DURATION",
            converter = Durations.DurationNotDepth.class,
            description = "Measured time per run. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = {"-w", "--warmup"}, defaultValue = "1s", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "Discarded time before each run. Default: ${DEFAULT-VALUE}.")
    Duration warmup;

    @Spec
    CommandSpec spec;

    @Option(names = "-t", hidden = true, paramLabel = "DURATION")
    void oldDuration(String value) {
        throw OldSpellings.renamed(spec, "-t", "-d " + value + " (-t means threads in every command)");
    }

    DemoCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        Demo.Plan plan;
        try {
            plan = new Demo.Plan(connections, size, depth, duration, warmup);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        List<Demo.Row> rows = Demo.run(plan, io.err());
        io.err().println();
        Demo.printTable(plan, rows, io.out());
        io.out().flush();
        return Demo.allOk(rows) ? 0 : 1;
    }
}
