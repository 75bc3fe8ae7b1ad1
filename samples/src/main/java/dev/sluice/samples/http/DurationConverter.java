package dev.sluice.samples.http;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Thread: any; stateless.
 *
 * <p>Reads durations the way wrk and curl users write them: a number with a unit ({@code 500ms},
 * {@code 10s}, {@code 2.5s}, {@code 1m}, {@code 1h}, {@code 250us}), or a bare number of seconds.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    /** Thread: any. For picocli. */
    public DurationConverter() {
    }

    /**
     * Thread: any.
     *
     * @param text the option value
     * @return the duration
     * @throws CommandLine.TypeConversionException with a one-line message when it is not a duration
     */
    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    /**
     * Thread: any.
     *
     * @param text a number with an optional unit: us, ms, s, m or h
     * @return the duration, at least zero
     * @throws CommandLine.TypeConversionException when it is not a duration
     */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int unitStart = s.length();
        while (unitStart > 0 && Character.isLetter(s.charAt(unitStart - 1))) {
            unitStart--;
        }
        double nanosPerUnit = switch (s.substring(unitStart)) {
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "", "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> -1;
        };
        double amount;
        try {
            amount = Double.parseDouble(s.substring(0, unitStart));
        } catch (NumberFormatException e) {
            amount = -1;
        }
        if (nanosPerUnit < 0 || amount < 0 || Double.isNaN(amount) || amount * nanosPerUnit > Long.MAX_VALUE) {
            throw new CommandLine.TypeConversionException(
                    "'" + text + "' is not a duration (use e.g. 500ms, 10s, 2m, 1h)");
        }
        return Duration.ofNanos(Math.round(amount * nanosPerUnit));
    }
}
