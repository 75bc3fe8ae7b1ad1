package dev.sluice.samples.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link PrintStream} for a command's standard output or error that tests can read while the command
 * runs.
 *
 * <p>Thread: any (the byte buffer is synchronized).
 */
public final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    public final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    public String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until the text matches {@code regex} and returns the first group (or the whole match). */
    public String await(String regex) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Matcher m = p.matcher(text());
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
            if (System.nanoTime() - giveUp > 0) {
                fail("no output matching " + regex + " in:\n" + text());
            }
            Thread.sleep(5); // polling output another thread prints; 20 s is only a safety net
        }
    }
}
