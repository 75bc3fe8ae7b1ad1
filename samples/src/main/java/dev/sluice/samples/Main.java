package dev.sluice.samples;

import dev.sluice.samples.cli.Commands;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The samples jar's entry point: one command with a subcommand per program. Errors come out as one
 * line on standard error with a non-zero exit status: 2 for a usage mistake, 1 for a failure. Set
 * {@code SLUICE_DEBUG=1} to get the stack trace as well.
 *
 * <p>Thread: the main thread.
 */
@Command(name = "sluice-samples", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Socket programs on the Sluice event loop: echo servers (NIO and blocking), an nc-style "
                + "client, a load generator, HTTP fetch/bench/server, broadcast chat, file transfer and UDP echo. "
                + "Start with 'demo'.")
public final class Main implements Runnable {
    /** Exit status for a failure at run time. */
    public static final int EXIT_FAILURE = 1;
    /** Exit status for a usage mistake. */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    /**
     * Thread: the JVM's main thread. Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(Io.system(), args));
    }

    /**
     * Thread: any; blocks while the command runs.
     * Runs the command line with the given streams and returns the exit status, without exiting: the
     * way tests run commands.
     *
     * @param io   the standard streams to use
     * @param args the arguments
     * @return the exit status
     */
    public static int execute(Io io, String... args) {
        CommandLine cl = new CommandLine(new Main());
        Commands.addTo(cl, io);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
        cl.setParameterExceptionHandler((ex, unused) -> {
            CommandLine failed = ex.getCommandLine();
            io.err().println(failed.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            io.err().println(failed.getCommandSpec().name() + ": " + oneLine(ex));
            if (System.getenv("SLUICE_DEBUG") != null) {
                ex.printStackTrace(io.err());
            }
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    /** The line to print for a failure: our own messages as they are, others with their type. */
    static String oneLine(Throwable e) {
        if (e instanceof CliException) {
            return e.getMessage();
        }
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null ? type : type + ": " + message.replace('\n', ' ');
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a subcommand: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * The version: from the jar's manifest ({@code Implementation-Version}), or when run from classes
     * (tests, an IDE) from the {@code version.properties} the build fills in, or "(development build)"
     * when neither is there.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sluice-samples " + version(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }

        static String version() {
            String fromManifest = Main.class.getPackage().getImplementationVersion();
            if (fromManifest != null) {
                return fromManifest;
            }
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String v = p.getProperty("version", "");
                    if (!v.isEmpty() && !v.startsWith("${")) {
                        return v;
                    }
                }
            } catch (IOException unreadable) {
                // fall through: a version is not worth failing --version for
            }
            return "(development build)";
        }
    }
}
