package dev.sluice.samples;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Sizes as people type them, in every command: {@code 64}, {@code 4k} (KiB), {@code 1m} (MiB),
 * {@code 2g} (GiB); a bare number is bytes.
 *
 * <p>Thread: any (stateless).
 */
public final class Sizes {
    private Sizes() {
    }

    /**
     * Thread: any.
     *
     * @param text e.g. {@code 64}, {@code 4k}, {@code 1m}, {@code 2g}
     * @return the size in bytes
     * @throws IllegalArgumentException when the text is not a size or is negative
     */
    public static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
            multiplier = s.endsWith("k") ? 1L << 10 : s.endsWith("m") ? 1L << 20 : 1L << 30;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0 || n > Long.MAX_VALUE / multiplier) {
                throw new NumberFormatException();
            }
            return n * multiplier;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a size in bytes like 64, 4k or 1m, got '" + text + "'");
        }
    }

    /**
     * The picocli converter for every {@code int} size option: 1 byte to 1 GiB.
     *
     * <p>Thread: any.
     */
    public static final class IntConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long bytes = LongConverter.bytes(value);
            if (bytes <= 0 || bytes > Integer.MAX_VALUE / 2) {
                throw new TypeConversionException("expected a size from 1 byte to 1g, got '" + value + "'");
            }
            return (int) bytes;
        }
    }

    /**
     * The picocli converter for every {@code long} size option (limits such as a largest file).
     *
     * <p>Thread: any.
     */
    public static final class LongConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return bytes(value);
        }

        static long bytes(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
