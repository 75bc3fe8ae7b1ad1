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
        assertEquals(1 + 2 * 2, csv.size(), "header + 2 servers x 2 connection counts");
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            assertTrue(Double.parseDouble(f[5]) > 0, "throughput measured: " + line);
            assertEquals("0", f[10], "no errors: " + line);
            assertTrue(Double.parseDouble(f[11]) > 0, "server RSS sampled: " + line);
            assertTrue(Double.parseDouble(f[13]) > 0, "server CPU per message measured: " + line);
        }
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("sluice,") && !l.split(",")[14].equals("NaN")),
                "the Sluice server reports its syscalls per message");

        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| 10 | sluice |"), md);
        assertTrue(md.contains("vs blocking-platform"), "ratio table present");
        assertTrue(md.contains("## Idle connections"), "idle cost measured");
        for (String chart : List.of("throughput-pingpong.svg", "p99-pingpong.svg", "memory-pingpong.svg")) {
            String svg = Files.readString(out.resolve(chart));
            assertTrue(svg.startsWith("<svg") && svg.contains("<path"), chart + " has a drawn series");
        }
    }
}
