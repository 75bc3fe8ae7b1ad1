package dev.sluice.samples.cli;

import dev.sluice.samples.HostPort;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;


/**
 * Picocli converters for the values people type in the classic commands: thread counts and {@code HOST:PORT} (durations are {@link dev.sluice.samples.Durations.Converter}). Bad input becomes a usage error with the reason.
 *
 * <p>Thread: any (stateless).
 */
final class Converters {
    private Converters() {
    }

    /**
     * A thread count for {@code -t}, which was the duration before it meant threads: a value with a
     * duration's unit gets the hint.
     */
    static final class Threads implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String s = value.trim();
            if (s.matches("\\d+(\\.\\d+)?[a-zA-Z]+")) {
                throw new TypeConversionException("-t is the number of threads now; the duration is -d " + s);
            }
            try {
                int n = Integer.parseInt(s);
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a number of threads >= 1, got '" + value + "'");
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
