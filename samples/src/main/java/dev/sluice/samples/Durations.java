package dev.sluice.samples;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as people type them: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1.5s}, {@code 250us}.
 * {@link #parse} reads a bare number as seconds; the command-line {@link Converter} wants a unit.
 *
 * <p>Thread: any (stateless).
 */
public final class Durations {
    private Durations() {
    }

    /**
     * Thread: any.
     *
     * @param text e.g. {@code 3s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 0}
     * @return the duration
     * @throws IllegalArgumentException when the text is not a duration or is negative
     */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int unitAt = 0;
        while (unitAt < s.length() && (Character.isDigit(s.charAt(unitAt)) || s.charAt(unitAt) == '.')) {
            unitAt++;
        }
        String number = s.substring(0, unitAt);
        String unit = s.substring(unitAt).trim();
        long nanosPerUnit;
        switch (unit) {
            case "ns": nanosPerUnit = 1L; break;
            case "us": case "µs": nanosPerUnit = 1_000L; break;
            case "ms": nanosPerUnit = 1_000_000L; break;
            case "": case "s": nanosPerUnit = 1_000_000_000L; break;
            case "m": case "min": nanosPerUnit = 60_000_000_000L; break;
            case "h": nanosPerUnit = 3_600_000_000_000L; break;
            default: throw new IllegalArgumentException("not a duration: '" + text + "' (try 10s, 500ms, 2m)");
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (try 10s, 500ms, 2m)");
        }
        if (Double.isNaN(value) || value * nanosPerUnit > Long.MAX_VALUE) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (try 10s, 500ms, 2m)");
        }
        return Duration.ofNanos(Math.round(value * nanosPerUnit));
    }

    /**
     * The picocli converter for every duration option in the samples: {@code 10s}, {@code 500ms},
     * {@code 2m}. A unit is required (only {@code 0} may go without): a bare number meant seconds in
     * some commands and milliseconds in others, and {@code -d 4} was once a depth.
     *
     * <p>Thread: any.
     */
    public static class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String s = value.trim();
            if (s.matches("\\d+(\\.\\d+)?") && Double.parseDouble(s) != 0) {
                throw new picocli.CommandLine.TypeConversionException(noUnit(s));
            }
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }

        /**
         * Thread: any. The message for a number without a unit; a command whose letter changed meaning
         * adds its own hint.
         *
         * @param number what was typed
         * @return the message
         */
        protected String noUnit(String number) {
            return "'" + number + "' needs a unit: " + number + "s or " + number + "ms";
        }
    }

    /**
     * The duration converter for a {@code -d} that was once the depth ({@code load}, {@code demo}):
     * a bare number gets the hint.
     *
     * <p>Thread: any.
     */
    public static final class DurationNotDepth extends Converter {
        @Override
        protected String noUnit(String number) {
            return "-d is the duration now and needs a unit (-d " + number + "s); messages in flight per "
                    + "connection are --depth " + number;
        }
    }

    /**
     * Thread: any.
     *
     * @param d a duration
     * @return it in the largest unit that keeps it short, e.g. {@code 3s}, {@code 1.5s}, {@code 250ms}
     */
    public static String format(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) {
            return "0s";
        }
        if (ns % 60_000_000_000L == 0) {
            return ns / 60_000_000_000L + "m";
        }
        if (ns >= 1_000_000_000L) {
            return trim(ns / 1e9) + "s";
        }
        if (ns >= 1_000_000L) {
            return trim(ns / 1e6) + "ms";
        }
        return trim(ns / 1e3) + "us";
    }

    /**
     * Thread: any.
     * A latency for people: {@code 48.2us}, {@code 1.35ms}, {@code 2.10s}, three significant digits.
     *
     * @param nanos nanoseconds
     * @return the formatted value with its unit
     */
    public static String latency(double nanos) {
        if (nanos < 1_000) {
            return String.format(Locale.ROOT, "%.0fns", nanos);
        }
        if (nanos < 1_000_000) {
            return sig3(nanos / 1e3) + "us";
        }
        if (nanos < 1_000_000_000) {
            return sig3(nanos / 1e6) + "ms";
        }
        return sig3(nanos / 1e9) + "s";
    }

    private static String sig3(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
