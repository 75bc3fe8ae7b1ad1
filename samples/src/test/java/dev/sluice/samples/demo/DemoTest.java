package dev.sluice.samples.demo;

import dev.sluice.samples.Capture;
import dev.sluice.samples.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoTest {

    @Test
    void shouldDriveBothServersAndPrintOneRowPerConnectionCount() throws Exception {
        Demo.Plan plan = new Demo.Plan(List.of(1, 4), 64, 1, Duration.ofMillis(300), Duration.ofMillis(100));
        Capture progress = new Capture();

        List<Demo.Row> rows = Demo.run(plan, progress.stream);

        assertEquals(2, rows.size());
        assertTrue(Demo.allOk(rows), progress.text());
        assertEquals(1, rows.get(1).nioThreads());
        assertEquals(5, rows.get(1).blockingThreads(), "four connection threads and the acceptor");
        Capture table = new Capture();
        Demo.printTable(plan, rows, table.stream);
        List<String> lines = table.text().lines().toList();
        assertTrue(lines.get(4).matches("\\s+1 \\|.*\\|.*\\|\\s+[\\d.]+x"), lines.get(4));
        assertTrue(lines.get(5).matches("\\s+4 \\|.*\\|.*\\|\\s+[\\d.]+x"), lines.get(5));
        assertEquals("errors: none; every echoed byte verified", lines.get(7));
        Threads.assertNoneAlive("echo-server");
        Threads.assertNoneAlive("blocking-echo-");
        Threads.assertNoneAlive("load-generator");
    }
}
