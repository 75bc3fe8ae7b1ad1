package dev.sluice.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.samples.Capture;
import dev.sluice.samples.Io;
import dev.sluice.samples.Main;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every subcommand, taken from the command line itself so a new one cannot be missed: its {@code --help}
 * works, and both READMEs list it.
 */
final class HelpAndDocsTest {

    static Stream<String> subcommands() {
        CommandLine cl = new CommandLine(new Main());
        Commands.addTo(cl, new Io(new ByteArrayInputStream(new byte[0]), System.out, System.err));
        return cl.getSubcommands().keySet().stream().filter(name -> !name.equals("help"));
    }

    @ParameterizedTest
    @MethodSource("subcommands")
    void shouldPrintHelpForEverySubcommand(String name) {
        Capture out = new Capture();
        Capture err = new Capture();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out.stream, err.stream);
        assertEquals(0, Main.execute(io, name, "--help"));
        assertTrue(out.text().matches("(?s)(.*\n)?Usage: (sluice-samples )?" + name + " .*"), out.text());
        assertTrue(out.text().contains("-h, --help"), out.text());
        assertEquals("", err.text());
    }

    @Test
    void shouldListEverySubcommandInBothReadmes() throws Exception {
        List<String> names = subcommands().toList();
        assertTrue(names.size() >= 15, names.toString());
        for (Path readme : List.of(Path.of("../README.md"), Path.of("README.md"))) {
            String text = Files.readString(readme);
            for (String name : names) {
                assertTrue(text.contains("| `" + name), readme + " has no table row for " + name);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"client", "load", "fetch", "http-bench"})
    void shouldSpellAndDescribeTheTlsClientOptionsAlikeInEveryCommandThatHasThem(String name) {
        String help = help(name);
        assertTrue(help.contains("--cacert=FILE TLS: trust the certificates in this PEM file instead of the system "
                + "trust store."), help);
        assertTrue(help.contains("-k, --insecure TLS: accept any certificate for any name (encrypted, NOT "
                + "authenticated)."), help);
        boolean flag = name.equals("client") || name.equals("load"); // fetch and http-bench go by the URL's scheme
        assertEquals(flag, help.contains("--tls Connect over TLS, verifying the server's certificate and name "
                + "against the system trust store, or --cacert."), help);
    }

    @Test
    void shouldSayInHelpThatHttpsWorksForTheBenchAndTheServersTakeTlsWithLoops() {
        assertTrue(help("http-bench").contains("URL The http:// or https:// URL to GET"), help("http-bench"));
        for (String server : List.of("echo-server", "http-server")) {
            String help = help(server);
            assertTrue(help.contains("--tls-cert=FILE") && help.contains("--loops=N"), help);
            assertFalse(help.contains("not built yet"), help);
        }
    }

    /** The command's --help with the layout's line breaks and indents collapsed to single spaces. */
    private static String help(String name) {
        Capture out = new Capture();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out.stream, new Capture().stream);
        assertEquals(0, Main.execute(io, name, "--help"));
        return out.text().replaceAll("\\s+", " ");
    }

    @Test
    void shouldHideTheOldSpellingsFromHelp() {
        Capture out = new Capture();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out.stream, new Capture().stream);
        assertEquals(0, Main.execute(io, "load", "--help"));
        assertFalse(out.text().contains("-r,"), out.text());
        assertTrue(out.text().contains("-t, --threads=N"), out.text());
        assertTrue(out.text().contains("-d, --duration=DURATION"), out.text());
        assertTrue(out.text().contains("    --depth=N"), out.text());
    }
}
