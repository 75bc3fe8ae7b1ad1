package dev.sluice.samples;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {

    @Test
    void shouldParseWhatPeopleType() {
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofNanos(250_000), Durations.parse("250us"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
    }

    @Test
    void shouldRejectWhatIsNotADurationWithAHint() {
        for (String bad : new String[] {"", "s", "-1s", "10 parsecs", "1.2.3s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad));
            assertEquals("not a duration: '" + bad + "' (try 10s, 500ms, 2m)", e.getMessage());
        }
    }

    @Test
    void shouldFormatInTheLargestUnitThatKeepsItShort() {
        assertEquals("3s", Durations.format(Duration.ofSeconds(3)));
        assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("0s", Durations.format(Duration.ZERO));
    }

    @Test
    void shouldFormatLatenciesWithThreeSignificantDigits() {
        assertEquals("850ns", Durations.latency(850));
        assertEquals("48.2us", Durations.latency(48_230));
        assertEquals("127us", Durations.latency(127_300));
        assertEquals("1.35ms", Durations.latency(1_350_000));
        assertEquals("2.10s", Durations.latency(2_100_000_000));
    }
}
