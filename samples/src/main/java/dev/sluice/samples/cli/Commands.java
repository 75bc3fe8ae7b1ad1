package dev.sluice.samples.cli;

import dev.sluice.samples.Io;
import dev.sluice.samples.chat.ChatClientCommand;
import dev.sluice.samples.chat.ChatServerCommand;
import dev.sluice.samples.file.FileRecvCommand;
import dev.sluice.samples.http.FetchCommand;
import dev.sluice.samples.http.HttpBenchCommand;
import dev.sluice.samples.http.HttpServerCommand;
import dev.sluice.samples.file.FileSendCommand;
import dev.sluice.samples.soak.SoakCommand;
import dev.sluice.samples.udp.UdpClientCommand;
import dev.sluice.samples.udp.UdpEchoServerCommand;
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
        cl.addSubcommand(new FetchCommand(io.out(), io.err()));
        cl.addSubcommand(new HttpBenchCommand(io.out(), io.err()));
        cl.addSubcommand(new HttpServerCommand(io.out(), io.err(), server -> { }));
        cl.addSubcommand(new ChatServerCommand(io.out(), io.err()));
        cl.addSubcommand(new ChatClientCommand(io.in(), io.out(), io.err()));
        cl.addSubcommand(new FileSendCommand(io.out(), io.err()));
        cl.addSubcommand(new FileRecvCommand(io.out(), io.err()));
        cl.addSubcommand(new UdpEchoServerCommand(io.out(), io.err()));
        cl.addSubcommand(new UdpClientCommand(io.in(), io.out(), io.err()));
        cl.addSubcommand(new SoakCommand(io.out()));
        cl.addSubcommand(new CommandLine.HelpCommand());
    }
}
