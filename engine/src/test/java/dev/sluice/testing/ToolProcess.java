package dev.sluice.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * An external tool (openssl, curl) run by a test: its output lines (stdout and stderr merged) arrive in
 * a queue the test waits on with a bound, its stdin is the test's to write and close, and closing this
 * kills it if it has not ended. {@link #available} lets a test skip, with a message, when the tool is
 * not installed.
 *
 * <p>Thread: the test thread; one daemon thread per process reads its output.
 */
public final class ToolProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer all = new StringBuffer();

    private ToolProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    all.append(line).append('\n');
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "tool-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** @return whether {@code command --version}-style probing ({@code probe}) runs and exits 0 within 10 s */
    public static boolean available(String... probe) {
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static ToolProcess start(List<String> command) throws IOException {
        return new ToolProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits up to 20 s for an output line that matches, failing with everything printed so far. */
    public String awaitLine(Predicate<String> match, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long left = giveUp - System.nanoTime();
            String line = lines.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail("no line with " + what + " within 20 s; output:\n" + all);
            }
            if (match.test(line)) {
                return line;
            }
        }
    }

    /** Writes to the tool's stdin. */
    public void send(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the tool's stdin (EOF). */
    public void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** Waits up to 20 s for the tool to end; returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            fail("tool did not exit within 20 s; output:\n" + all);
        }
        return process.exitValue();
    }

    /** @return everything printed so far */
    public String output() {
        return all.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
