package dev.sluice.samples.cli;

import dev.sluice.samples.Io;
import picocli.CommandLine;

/**
 * Wires the subcommands into the top command, each made with the {@link Io} it should use.
 *
 * <p>Thread: the thread building the command line.
 */
public final class Commands {
    private Commands() {
    }

    /**
     * Adds every subcommand, in the order {@code --help} lists them.
     *
     * <p>Thread: any.
     *
     * @param cl the top command
     * @param io the streams the subcommands use
     */
    public static void addTo(CommandLine cl, Io io) {
        cl.addSubcommand(new EchoServerCommand(io));
        cl.addSubcommand(new BlockingEchoServerCommand(io));
        cl.addSubcommand(new ClientCommand(io));
        cl.addSubcommand(new LoadCommand(io));
        cl.addSubcommand(new DemoCommand(io));
        cl.addSubcommand(new CommandLine.HelpCommand());
    }
}
