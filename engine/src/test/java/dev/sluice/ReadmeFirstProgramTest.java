package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "A first program", compiled and run as it is written, against a real client on loopback.
 * The snippet lives between the two marker comments below; a second test checks that the README shows
 * exactly those lines, so neither can change without the other.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeFirstProgramTest {
    private static final String BEGIN = "// README: A first program (begin)";
    private static final String END = "// README: A first program (end)";
    /** Run from the engine module's directory, as Maven does. */
    private static final Path README = Path.of("..", "README.md");
    private static final Path THIS_SOURCE = Path.of("src", "test", "java", "dev", "sluice", "ReadmeFirstProgramTest.java");

    @Test
    void shouldEchoALineFromARealClient() throws Exception {
        try (LoopFixture f = new LoopFixture("readme")) {
            // README: A first program (begin)
            EventLoop loop = EventLoop.start(LoopConfig.defaults());
            Listener listener = loop.listen(new InetSocketAddress("127.0.0.1", 0), ListenerConfig.defaults(),
                    () -> (connection, data) -> connection.writeCopy(data));   // echo
            System.out.println("echo on " + listener.localAddress());
            // README: A first program (end)
            f.adopt(loop);
            CompletableFuture<Thread> loopThread = new CompletableFuture<>();
            loop.execute(() -> loopThread.complete(Thread.currentThread()));

            SocketChannel client = f.connect(listener.localAddress());
            byte[] line = "hello, sluice\n".getBytes(StandardCharsets.UTF_8);
            client.write(ByteBuffer.wrap(line));

            assertEquals("hello, sluice\n", new String(Bytes.readExactly(client, line.length), StandardCharsets.UTF_8));
            assertEquals(1, listener.acceptedCount());
            Thread thread = loopThread.get(10, TimeUnit.SECONDS);
            f.close(); // the leak check: loop ended, no key, connection, buffer or client left
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(thread.isAlive(), "the README loop's thread (named by LoopConfig.defaults()) is still alive");
        }
    }

    @Test
    void shouldShowInTheReadmeExactlyTheSnippetThatRunsHere() throws Exception {
        try (LoopFixture f = new LoopFixture("readme-text")) {
            assertTrue(Files.exists(README), "run from the engine module: no " + README.toAbsolutePath());
            List<String> tested = unindent(between(Files.readAllLines(THIS_SOURCE), BEGIN, END));

            assertEquals(4, tested.size(), tested.toString());
            assertEquals(String.join("\n", tested), String.join("\n", readmeSnippet()),
                    "README.md's 'A first program' differs from the snippet this test runs");
        }
    }

    /** The first java block after the "## A first program" heading. */
    private static List<String> readmeSnippet() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int heading = lines.indexOf("## A first program");
        assertTrue(heading >= 0, "no '## A first program' heading in README.md");
        List<String> rest = lines.subList(heading, lines.size());
        return between(rest, "```java", "```");
    }

    private static List<String> between(List<String> lines, String begin, String end) {
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (from < 0 && t.equals(begin)) {
                from = i + 1;
            } else if (from >= 0 && t.equals(end)) {
                return lines.subList(from, i);
            }
        }
        throw new AssertionError("no block between '" + begin + "' and '" + end + "'");
    }

    private static List<String> unindent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.toList());
    }
}
