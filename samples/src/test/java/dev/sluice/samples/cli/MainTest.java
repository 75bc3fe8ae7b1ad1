package dev.sluice.samples.cli;

import dev.sluice.samples.Capture;
import dev.sluice.samples.Io;
import dev.sluice.samples.Main;
import dev.sluice.samples.echo.EchoServer;
import dev.sluice.samples.echo.ServerConfig;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The command line as a user meets it: help on everything, one-line errors, exit statuses. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MainTest {
    private final Capture out = new Capture();
    private final Capture err = new Capture();
    private final Io io = new Io(new ByteArrayInputStream(new byte[0]), out.stream, err.stream);

    @ParameterizedTest
    @ValueSource(strings = {"echo-server", "blocking-echo-server", "client", "load", "demo"})
    void shouldPrintHelpForEverySubcommand(String name) {
        assertEquals(0, Main.execute(io, name, "--help"));
        assertTrue(out.text().contains("Usage: sluice-samples " + name), out.text());
        assertEquals("", err.text());
    }

    @Test
    void shouldListTheSubcommandsInTheTopHelp() {
        assertEquals(0, Main.execute(io, "--help"));
        for (String name : List.of("echo-server", "blocking-echo-server", "client", "load", "demo")) {
            assertTrue(out.text().contains("  " + name + " "), name);
        }
    }

    @Test
    void shouldPrintTheVersionBeingBuilt() {
        String expected = System.getProperty("sluice.expectedVersion");
        assumeTrue(expected != null, "run by Maven, which passes the project's version");

        assertEquals(0, Main.execute(io, "--version"));

        List<String> lines = out.text().lines().toList();
        assertEquals("sluice-samples " + expected, lines.get(0));
        assertTrue(lines.get(1).startsWith("Java " + Runtime.version()), lines.get(1));
        assertEquals("", err.text());
    }

    @Test
    void shouldReportAUsageMistakeInOneLineWithStatusTwo() {
        assertEquals(2, Main.execute(io, "load"));
        assertEquals("sluice-samples load: Missing required parameter: 'HOST:PORT' (see 'sluice-samples load --help')\n",
                err.text());
    }

    @Test
    void shouldReportABadValueInOneLineWithStatusTwo() {
        assertEquals(2, Main.execute(io, "load", "127.0.0.1:7000", "--duration", "soon"));
        assertEquals(1, err.text().lines().count(), err.text());
        assertTrue(err.text().contains("not a duration: 'soon' (try 10s, 500ms, 2m)"), err.text());
    }

    @Test
    void shouldSayVirtualThreadsNeedJdk21InOneLine() {
        assumeTrue(Runtime.version().feature() < 21, "this JDK has virtual threads");

        assertEquals(1, Main.execute(io, "blocking-echo-server", "--port", "0", "--threads", "virtual"));

        assertTrue(err.text().startsWith("blocking-echo-server: virtual threads need JDK 21 or newer (running "
                + Runtime.version()), err.text());
        assertEquals(1, err.text().lines().count());
    }

    @Test
    void shouldSayInOneLineThatThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertEquals(1, Main.execute(io, "echo-server", "--port", String.valueOf(port)));

            assertEquals("echo-server: cannot listen on 127.0.0.1:" + port + ": Address already in use\n", err.text());
        }
    }

    @Test
    void shouldRunLoadAndWriteTheTableCsvAndHistogram(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("runs.csv");
        Path hgrm = dir.resolve("run.hgrm");
        try (LoopFixture f = new LoopFixture("cli-load")) {
            EchoServer server = EchoServer.start(f.startLoop(), ServerConfig.defaults(), System.err);
            InetSocketAddress a = server.address();

            for (int run = 0; run < 2; run++) {
                assertEquals(0, Main.execute(io, "load", "127.0.0.1:" + a.getPort(), "-c", "2", "-d", "300ms", "-w", "100ms",
                        "--csv", csv.toString(), "--hgrm", hgrm.toString()));
            }
            server.close();
        }
        List<String> table = out.text().lines().toList();
        assertTrue(table.get(0).startsWith("load 127.0.0.1:"), table.get(0));
        assertTrue(table.get(1).matches("\\s+msgs/s\\s+MiB/s\\s+p50\\s+p90\\s+p99\\s+p99\\.9\\s+max\\s+errors"), table.get(1));
        assertTrue(table.get(2).matches("\\s+[\\d,]+\\s+[\\d.]+(\\s+\\S+){5}\\s+0"), table.get(2));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size(), "one header, then one line per run");
        assertEquals(lines.get(0).split(",").length, lines.get(1).split(",").length);
        List<String> header = List.of(lines.get(0).split(","));
        String[] first = lines.get(1).split(",");
        assertEquals("0", first[header.indexOf("errors")], "no errors");
        double cpu = Double.parseDouble(first[header.indexOf("load_cpu_pct")]);
        assertTrue(cpu > 0 && cpu <= 110, "the generator's loop CPU in percent of a core: " + cpu);
        assertTrue(Files.readString(hgrm).contains("Value     Percentile TotalCount 1/(1-Percentile)"));
        assertEquals("", err.text(), "no progress lines for a run under 2 s");
    }

    @Test
    void shouldExitOneWhenLoadFindsNothingListening() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }

        assertEquals(1, Main.execute(io, "load", "127.0.0.1:" + port, "-c", "3", "-d", "1s"));

        assertEquals("load: cannot connect to 127.0.0.1:" + port + " (connection 0: connect failed: Connection refused)\n",
                err.text());
    }
}
