package dev.sluice.samples.support;

import dev.sluice.EventLoop;
import dev.sluice.samples.Durations;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The {@code --stats-interval} option of the servers on an event loop: a picocli mixin.
 *
 * <p>Thread: the command's.
 */
public final class StatsOption {
    /** Shorter than this would be a flood of lines, not a monitor. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(10);

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Duration interval = Duration.ZERO;

    /**
     * Thread: the command's (picocli calls it while parsing).
     *
     * @param value the parsed duration
     * @throws ParameterException when it is neither 0 nor at least 10 ms
     */
    @Option(names = "--stats-interval", defaultValue = "0", paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "Print one line of the event loop's counters (connections, bytes, reads, writes, "
                    + "closes) every DURATION, e.g. 1s; 0 for never. Default: ${DEFAULT-VALUE}.")
    void setInterval(Duration value) {
        if (!value.isZero() && value.compareTo(MIN_INTERVAL) < 0) {
            throw new ParameterException(mixee.commandLine(),
                    "--stats-interval must be 0 (off) or at least 10ms: " + Durations.format(value));
        }
        interval = value;
    }

    /**
     * Thread: the command's.
     *
     * @return the interval, zero when off
     */
    public Duration interval() {
        return interval;
    }

    /**
     * Thread: any.
     * Starts the printer when the option was given; close what this returns when the server stops.
     *
     * @param name the server's name, which starts each line
     * @param loop the server's loop
     * @param out  where the lines go
     * @return the printer (one that never prints when the option is off)
     */
    public StatsPrinter start(String name, EventLoop loop, PrintStream out) {
        return StatsPrinter.start(name, loop, interval, out);
    }

    /**
     * Thread: any.
     * Like {@link #start(String, EventLoop, PrintStream)}, for a loop group's summed counters.
     *
     * @param name   the server's name, which starts each line
     * @param source the counters, readable from any thread
     * @param out    where the lines go
     * @return the printer (one that never prints when the option is off)
     */
    public StatsPrinter start(String name, java.util.function.Supplier<dev.sluice.LoopStats> source, PrintStream out) {
        return StatsPrinter.start(name, source, interval, out);
    }
}
