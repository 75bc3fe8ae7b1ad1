package dev.sluice.samples.http;

import static dev.sluice.samples.http.HttpBenchTest.print;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.testing.LoopFixture;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The server driven by tools nobody here wrote (curl, wrk), and the fetch command against a server
 * nobody here wrote ({@code python3 -m http.server}). Each test skips, saying why, when its tool is not
 * installed; every child process is destroyed and waited for.
 */
@Timeout(30)
final class HttpExternalToolsTest {

    @Test
    void shouldServeCurlWithKeepAliveFilesAndHead(@TempDir Path dir) throws Exception {
        String curl = findOnPath("curl");
        assumeTrue(curl != null, "curl is not installed: skipping the curl test");
        byte[] file = new byte[300_000];
        new Random(3).nextBytes(file);
        Files.write(dir.resolve("data.bin"), file);
        try (LoopFixture f = new LoopFixture("curl")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, dir, HttpServer.Limits.defaults());
            String base = "http://127.0.0.1:" + server.port();

            String hello = new String(run(curl, "-s", "-i", base + "/"), UTF_8);
            assertTrue(hello.startsWith("HTTP/1.1 200 OK\r\n"), hello);
            assertTrue(hello.endsWith("\r\n\r\nHello, World!"), hello);

            // curl reuses one connection for URLs on the same host within one run.
            String codes = new String(run(curl, "-s", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                    "-w", "%{http_code} %{num_connects}\\n", base + "/", base + "/nope", base + "/data.bin"), UTF_8);
            assertEquals("200 1\n404 0\n200 0\n", codes);

            assertArrayEquals(file, run(curl, "-s", base + "/data.bin"));
            String head = new String(run(curl, "-s", "-I", base + "/data.bin"), UTF_8);
            assertTrue(head.contains("Content-Length: 300000\r\n"), head);
            assertEquals(4, server.acceptedConnections());
        }
    }

    @Test
    void shouldServeWrkWithoutErrors() throws Exception {
        String wrk = findOnPath("wrk");
        assumeTrue(wrk != null, "wrk is not installed: skipping the wrk test (apt-get install wrk)");
        try (LoopFixture f = new LoopFixture("wrk")) {
            HttpServer server = HttpServer.start(f.startLoop(), LoopFixture.ANY_LOOPBACK, null, HttpServer.Limits.defaults());
            String report = new String(run(wrk, "-t1", "-c8", "-d1s", "http://127.0.0.1:" + server.port() + "/"), UTF_8);
            Matcher rate = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(report);
            assertTrue(rate.find(), report);
            assertTrue(Double.parseDouble(rate.group(1)) > 100, report);
            assertFalse(report.contains("Socket errors"), report);
            assertFalse(report.contains("Non-2xx"), report);
        }
    }

    @Test
    void shouldFetchFromPythonsHttpServer(@TempDir Path dir) throws Exception {
        String python = findOnPath("python3");
        assumeTrue(python != null, "python3 is not installed: skipping the test against python3 -m http.server");
        byte[] file = new byte[150_000];
        new Random(4).nextBytes(file);
        Files.write(dir.resolve("blob.bin"), file);
        Process p = new ProcessBuilder(python, "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory",
                dir.toString(), "0").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int port = readPythonPort(p);
            String base = "http://127.0.0.1:" + port;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Path saved = dir.resolve("saved.bin");
            int code = new CommandLine(new FetchCommand(print(out), print(err)))
                    .execute("-o", saved.toString(), base + "/blob.bin");
            assertEquals(0, code, err.toString(UTF_8));
            assertArrayEquals(file, Files.readAllBytes(saved));

            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                urls.add(base + (i % 2 == 0 ? "/blob.bin" : "/missing"));
            }
            urls.add(base + "/"); // a directory listing
            Path list = Files.write(dir.resolve("urls.txt"), urls);
            out.reset();
            code = new CommandLine(new FetchCommand(print(out), print(err)))
                    .execute("--urls", list.toString(), "-c", "3");
            String report = out.toString(UTF_8);
            assertEquals(0, code, report + err.toString(UTF_8));
            assertEquals(5, report.lines().filter(l -> l.matches("200 +150000 B .*/blob.bin")).count(), report);
            assertEquals(5, report.lines().filter(l -> l.startsWith("404 ")).count(), report);
            assertTrue(report.contains("11 URLs in "), report);
        } finally {
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "python3 did not stop");
        }
    }

    /** python3 -u prints "Serving HTTP on 127.0.0.1 port N (http://127.0.0.1:N/) ..." once it listens. */
    private static int readPythonPort(Process p) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String first = line.get(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("port (\\d+)").matcher(String.valueOf(first));
        assertTrue(m.find(), "unexpected python3 output: " + first);
        return Integer.parseInt(m.group(1));
    }

    /** Runs a tool to completion (at most 20 s) and returns its standard output. */
    private static byte[] run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), Arrays.toString(command) + " did not finish");
            assertEquals(0, p.exitValue(), Arrays.toString(command) + " failed");
            return out.get(5, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String findOnPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
