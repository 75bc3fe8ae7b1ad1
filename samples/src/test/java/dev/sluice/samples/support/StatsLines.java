package dev.sluice.samples.support;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads the lines a server's {@code --stats-interval} prints. Counts ({@code key=+N}) add up over the
 * lines; gauges ({@code key=N}) keep their last value. Thread: the test thread.
 */
public final class StatsLines {
    private static final Pattern FIELD = Pattern.compile(" (\\w+)=(\\+?)(\\d+)");

    private StatsLines() {
    }

    /** Every {@code NAME stats:} line of {@code text}, counts summed and gauges last. */
    public static Map<String, Long> totals(String text, String name) {
        Map<String, Long> totals = new HashMap<>();
        text.lines().filter(l -> l.startsWith(name + " stats:")).forEach(line -> {
            Matcher m = FIELD.matcher(line);
            int fields = 0;
            while (m.find()) {
                long v = Long.parseLong(m.group(3));
                totals.merge(m.group(1), v, m.group(2).isEmpty() ? (old, now) -> now : Long::sum);
                fields++;
            }
            assertTrue(fields >= 10, "a stats line with few fields: " + line);
            totals.merge("lines", 1L, Long::sum);
        });
        return totals;
    }

    /** Waits until the printed counts reach {@code atLeast} and at least two lines came; returns the totals. */
    public static Map<String, Long> await(Output out, String name, Map<String, Long> atLeast) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Map<String, Long> totals = totals(out.text(), name);
            boolean reached = totals.getOrDefault("lines", 0L) >= 2 && atLeast.entrySet().stream()
                    .allMatch(e -> totals.getOrDefault(e.getKey(), 0L) >= e.getValue());
            if (reached) {
                return totals;
            }
            if (System.nanoTime() - giveUp > 0) {
                fail("stats lines never reached " + atLeast + ":\n" + out.text());
            }
            Thread.sleep(5); // polling output another thread prints; 20 s is only a safety net
        }
    }
}
