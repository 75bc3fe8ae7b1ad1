package dev.sluice.study;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the whole comparison harness in its tiny mode (two servers, two connection counts, one second
 * each) so that it cannot rot: child JVMs start, the load generator reports, every output file appears.
 * It asserts what the harness produced, never how fast anything was.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StudyTinyTest {

    @Test
    void shouldMeasureEveryPointAndWriteCsvMarkdownAndCharts(@TempDir Path out) throws Exception {
        int exit = new CommandLine(new Study()).execute("--tiny", "--no-pin", "--out", out.toString());
        assertEquals(0, exit, "study exit code (0 = no point had errors)");

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 2 * (2 + 1), csv.size(), "header + 2 servers x (2 connection counts + 1 open-loop point)");
        List<String> header = List.of(csv.get(0).split(",", -1));
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",", -1);
            assertEquals(header.size(), f.length, line);
            assertTrue(Double.parseDouble(f[header.indexOf("msgs_per_s")]) > 0, "throughput measured: " + line);
            assertEquals("0", f[header.indexOf("errors")], "no errors: " + line);
            assertTrue(Double.parseDouble(f[header.indexOf("rss_mib")]) > 0, "server RSS sampled: " + line);
            assertTrue(Double.parseDouble(f[header.indexOf("cpu_us_per_msg")]) > 0, "server CPU per message measured: " + line);
            assertTrue(Double.parseDouble(f[header.indexOf("load_cpu_pct")]) > 0, "load generator CPU measured: " + line);
        }
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("sluice,") && !l.split(",")[header.indexOf("syscalls_per_msg")]
                .equals("NaN")), "the Sluice server reports its syscalls per message");
        assertEquals(2, csv.stream().filter(l -> l.split(",")[header.indexOf("rate_pct_of_peak")].equals("50")).count(),
                "an open-loop point at 50 % of each server's peak");

        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| 10 | sluice |"), md);
        assertTrue(md.contains("vs blocking-platform"), "ratio table present");
        assertTrue(md.contains("## Idle connections"), "idle cost measured");
        assertTrue(md.contains("| command | `java -cp jmh/target/benchmarks.jar dev.sluice.study.Study`"), md);
        assertTrue(md.contains("| JDK | "), md);
        assertTrue(md.contains("Open loop (a fixed rate"), md);
        assertTrue(Files.readString(out.resolve("p99-pingpong.svg")).contains("(log scale)"));
        for (String chart : List.of("throughput-pingpong.svg", "p99-pingpong.svg", "memory-pingpong.svg", "cpu-pingpong.svg")) {
            String svg = Files.readString(out.resolve(chart));
            assertTrue(svg.startsWith("<svg") && svg.contains("<path"), chart + " has a drawn series");
        }
    }
}
