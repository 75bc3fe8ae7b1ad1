package dev.sluice.samples.cli;

import dev.sluice.samples.Durations;
import dev.sluice.samples.HostPort;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;

/**
 * Picocli converters for the values people type: durations ({@code 10s}), sizes ({@code 64},
 * {@code 4k}, {@code 1m}) and {@code HOST:PORT}. Bad input becomes a usage error with the reason.
 *
 * <p>Thread: any (stateless).
 */
final class Converters {
    private Converters() {
    }

    /** Bytes with an optional {@code k} (KiB) or {@code m} (MiB) suffix. */
    static final class SizeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String s = value.trim().toLowerCase(Locale.ROOT);
            int multiplier = 1;
            if (s.endsWith("k") || s.endsWith("m")) {
                multiplier = s.endsWith("k") ? 1024 : 1024 * 1024;
                s = s.substring(0, s.length() - 1);
            }
            try {
                long bytes = Long.parseLong(s) * multiplier;
                if (bytes <= 0 || bytes > Integer.MAX_VALUE / 2) {
                    throw new NumberFormatException();
                }
                return (int) bytes;
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a size in bytes like 64, 4k or 1m, got '" + value + "'");
            }
        }
    }

    /** {@code HOST:PORT}, {@code [IPv6]:PORT} or a bare port on 127.0.0.1. */
    static final class HostPortConverter implements ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return HostPort.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
