package dev.sluice.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --quick and --tiny fill in what was not given and never override an explicit option. No processes. */
class StudyPlanTest {

    private static StudyPlan plan(String... args) {
        Study study = new Study();
        new CommandLine(study).parseArgs(args);
        return study.plan();
    }

    @Test
    void shouldLetExplicitOptionsWinOverTheModes() {
        StudyPlan tiny = plan("--tiny", "--no-pin", "--duration", "3s", "--warmup", "500ms", "--rates", "80,95",
                "--connections", "5", "--servers", "sluice");
        assertEquals(Duration.ofSeconds(3), tiny.duration());
        assertEquals(Duration.ofMillis(500), tiny.warmup());
        assertEquals(List.of(80, 95), tiny.rates());
        assertEquals(List.of(5), tiny.connections());
        assertEquals(List.of("sluice"), tiny.servers());

        StudyPlan quick = plan("--quick", "--no-pin", "-d", "4s");
        assertEquals(Duration.ofSeconds(4), quick.duration());
        assertEquals(Duration.ofSeconds(1), quick.warmup(), "what was not given comes from --quick");
        assertEquals(List.of(1, 100, 1000), quick.connections());
    }

    @Test
    void shouldUseTheModesDefaultsOtherwise() {
        StudyPlan tiny = plan("--tiny", "--no-pin");
        assertEquals(Duration.ofSeconds(1), tiny.duration());
        assertEquals(List.of(50), tiny.rates());
        StudyPlan full = plan("--no-pin", "--rates", "0");
        assertEquals(Duration.ofSeconds(10), full.duration());
        assertEquals(List.of(), full.rates(), "0 turns the open-loop points off");
        assertEquals(List.of(50, 80, 95), plan("--no-pin").rates());
    }

    @Test
    void shouldRefuseADurationWithoutAUnit() {
        Study study = new Study();
        assertEquals(2, new CommandLine(study).setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()))
                .execute("--duration", "10"));
    }
}
