package dev.sluice.reliability;

import dev.sluice.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * File-descriptor exhaustion: the server runs in a child JVM under {@code ulimit -n 64}. The test opens
 * connections until the child's {@code accept} fails with EMFILE ("Too many open files"), then shows
 * that the listener backs off instead of spinning (the child's loop iterations per second stay low while
 * a connection it cannot take waits in the backlog), and that it recovers once descriptors are freed:
 * the waiting connection and a newcomer are both served.
 *
 * <p>Real time is unavoidable here (a spin is iterations per real second, and the back-off runs on the
 * child's system clock); the test asserts rates with a wide margin, never exact durations.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReliabilityFdExhaustionTest {
    private static final int CHILD_FD_LIMIT = 64;

    /** The child's last STATS line. */
    record Stats(long nanoTime, long iterations, long acceptErrors, long openConnections) {
    }

    /** Reads the child's output on a daemon thread; keeps the port and the latest stats. */
    static final class ChildOutput {
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final StringBuffer other = new StringBuffer();
        volatile Stats latest;

        ChildOutput(Process child) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        String[] f = line.split(" ");
                        if (f[0].equals("PORT")) {
                            port.complete(Integer.parseInt(f[1]));
                        } else if (f[0].equals("STATS") && f.length == 5) {
                            latest = new Stats(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                                    Long.parseLong(f[4]));
                        } else if (other.length() < 10_000) {
                            other.append(line).append('\n');
                        }
                    }
                } catch (IOException ignored) {
                    // the child is gone
                }
                port.completeExceptionally(new IOException("child exited; its output:\n" + other));
            }, "fd-child-output");
            t.setDaemon(true);
            t.start();
        }

        /** The first stats line printed after now. */
        Stats next() throws InterruptedException {
            Stats before = latest;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (latest == before) {
                if (System.nanoTime() - giveUp > 0) {
                    fail("the child stopped reporting; its output:\n" + other);
                }
                Thread.sleep(5);
            }
            return latest;
        }
    }

    @Test
    void shouldBackOffWithoutSpinningWhenOutOfDescriptorsAndRecoverWhenSomeAreFreed() throws Exception {
        assumeTrue(new File("/bin/bash").canExecute() || new File("/usr/bin/bash").canExecute(), "needs bash");
        assumeTrue(new ProcessBuilder("bash", "-c", "ulimit -n " + CHILD_FD_LIMIT).start().waitFor() == 0,
                "needs ulimit -n");
        Process child = startChild();
        List<Socket> served = new ArrayList<>();
        Socket waiting = null;
        try {
            ChildOutput out = new ChildOutput(child);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", out.port.get(30, TimeUnit.SECONDS));

            // Connect one at a time until the child cannot accept: each served connection takes one of
            // its 64 descriptors; the first one it cannot take stays in the backlog, unanswered. Under
            // load a connection can be taken for waiting when one accept failed for a moment and the
            // retry after the back-off served it late: then it answers during the two seconds below,
            // counts as served, and the search goes on (at most a few times).
            Stats a;
            Stats b;
            int searches = 0;
            while (true) {
                while (waiting == null) {
                    Socket s = new Socket();
                    s.connect(address, 10_000);
                    s.getOutputStream().write(1);
                    if (echoedOrExhausted(s, out)) {
                        served.add(s);
                        assertTrue(served.size() < CHILD_FD_LIMIT, "served more connections than descriptors");
                    } else {
                        waiting = s;
                    }
                }
                assertTrue(served.size() > 0, "the child served nothing");

                // Out of descriptors, for two seconds: the listener backs off, the loop sleeps.
                a = out.next();
                Thread.sleep(2000);
                b = out.next();
                if (!answeredLate(waiting)) {
                    break;
                }
                served.add(waiting);
                waiting = null;
                assertTrue(++searches < 5, "the child kept serving connections it had no descriptor for");
            }
            double seconds = (b.nanoTime() - a.nanoTime()) / 1e9;
            double iterationsPerSecond = (b.iterations() - a.iterations()) / seconds;
            double acceptErrorsPerSecond = (b.acceptErrors() - a.acceptErrors()) / seconds;
            assertTrue(iterationsPerSecond < 1000, "spinning: " + iterationsPerSecond + " iterations/s");
            assertTrue(acceptErrorsPerSecond < 50, "retrying accept without back-off: " + acceptErrorsPerSecond + "/s");
            assertTrue(b.acceptErrors() > 0);
            assertEquals(served.size(), b.openConnections());

            // Free half the descriptors: the waiting connection is accepted and answered, then a newcomer.
            int freed = served.size() / 2;
            for (int i = 0; i < freed; i++) {
                served.remove(served.size() - 1).close();
            }
            waiting.setSoTimeout(10_000); // back-off is at most 1 s; 10 s only bounds a failure
            assertEquals(1, waiting.getInputStream().read(), "the backlogged connection was never served");
            try (Socket newcomer = new Socket()) {
                newcomer.setSoTimeout(10_000);
                newcomer.connect(address, 10_000);
                byte[] msg = "after the exhaustion\n".getBytes(StandardCharsets.US_ASCII);
                newcomer.getOutputStream().write(msg);
                assertEquals(new String(msg, StandardCharsets.US_ASCII),
                        new String(newcomer.getInputStream().readNBytes(msg.length), StandardCharsets.US_ASCII));
            }
        } finally {
            for (Socket s : served) {
                s.close();
            }
            if (waiting != null) {
                waiting.close();
            }
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Whether the echo of a connection taken for waiting has arrived after all. */
    private static boolean answeredLate(Socket s) throws IOException {
        s.setSoTimeout(100);
        try {
            return s.getInputStream().read() == 1;
        } catch (SocketTimeoutException stillWaiting) {
            return false;
        }
    }

    /**
     * Waits for the one-byte echo on {@code s}: true when it comes, false once the child reports a failed
     * accept while it has not come. The echo is never timed: a slow child is waited for.
     */
    private static boolean echoedOrExhausted(Socket s, ChildOutput out) throws IOException, InterruptedException {
        s.setSoTimeout(50);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - giveUp < 0) {
            try {
                return s.getInputStream().read() == 1;
            } catch (SocketTimeoutException notYet) {
                Stats st = out.latest;
                if (st != null && st.acceptErrors() > 0) {
                    return false;
                }
            }
        }
        fail("neither an echo nor a failed accept within 20 s");
        return false;
    }

    private static Process startChild() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Just the engine's classes and this module's test classes: the child needs nothing else.
        String classpath = codeSource(EventLoop.class) + File.pathSeparator + codeSource(FdExhaustionServer.class);
        // Positional arguments keep the paths out of the shell's parsing.
        String script = "ulimit -n " + CHILD_FD_LIMIT + " && exec \"$0\" -Xmx64m -XX:+UseSerialGC "
                + "-XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp \"$1\" " + FdExhaustionServer.class.getName();
        return new ProcessBuilder("bash", "-c", script, java, classpath).redirectErrorStream(true).start();
    }

    private static String codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
