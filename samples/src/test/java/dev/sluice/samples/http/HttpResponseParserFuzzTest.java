package dev.sluice.samples.http;

import static dev.sluice.samples.http.HttpMethod.GET;
import static dev.sluice.samples.http.HttpMethod.HEAD;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated, mutated and random responses with fixed seeds. Whatever the input, the parser must end in
 * a result or an {@link HttpParseException} (the {@link Driver} lets anything else escape and fails on
 * out-of-order events, an unfinished response after {@code finish}, or memory past the header limit),
 * and the outcome must not depend on how the bytes were split.
 */
final class HttpResponseParserFuzzTest {

    private static final long SEED = 0x51CE_C0DEL;
    private static final int GENERATED_CASES = 1_000;
    private static final int MUTATED_CASES = 4_000;
    private static final int RANDOM_CASES = 1_500;
    private static final byte[] INTERESTING = "\r\n\r\n :;\t,0123456789abcdefABCDEF-+\u0000\u0001\u007f\u00ff"
            .getBytes(ISO_8859_1);
    private static final String[] NAMES = {"Server", "X-A", "x-a", "Set-Cookie", "Cache-Control", "Vary", "Date"};

    @Test
    void shouldParseGeneratedResponsesIdenticallyWhateverTheSplit() {
        Random random = new Random(SEED);
        for (int i = 0; i < GENERATED_CASES; i++) {
            Generated g = generate(random);
            String reference = check(i, g.bytes, Driver.all(g.bytes.length), false, Limits.DEFAULT, g.methods);
            assertFalse(reference.contains("error"), () -> "case " + g + " gave " + reference);
            for (byte[] body : g.bodies) {
                assertTrue(body.length == 0 || reference.contains("body " + new String(body, ISO_8859_1) + "\n"),
                        () -> "case " + g + " lost its body: " + reference);
            }
            assertEquals(reference, check(i, g.bytes, Driver.byteByByte(g.bytes.length), true, Limits.DEFAULT, g.methods));
            for (int split = 0; split < 3; split++) {
                int[] segments = Driver.randomSplits(g.bytes.length, random);
                assertEquals(reference, check(i, g.bytes, segments, split == 0, Limits.DEFAULT, g.methods));
            }
        }
    }

    @Test
    void shouldEndMutatedResponsesInAResultOrATypedErrorWhateverTheSplit() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < MUTATED_CASES; i++) {
            Generated g = generate(random);
            byte[] bytes = mutate(g.bytes, random);
            Limits limits = random.nextInt(3) == 0 ? Limits.small(random) : Limits.DEFAULT;
            String reference = check(i, bytes, Driver.all(bytes.length), false, limits, g.methods);
            int[] segments = Driver.randomSplits(bytes.length, random);
            assertEquals(reference, check(i, bytes, segments, random.nextBoolean(), limits, g.methods));
            if (i % 4 == 0) {
                assertEquals(reference, check(i, bytes, Driver.byteByByte(bytes.length), false, limits, g.methods));
            }
        }
    }

    @Test
    void shouldEndRandomBytesInAResultOrATypedError() {
        Random random = new Random(SEED + 2);
        byte[] prefix = "HTTP/1.1 200 OK\r\n".getBytes(ISO_8859_1);
        for (int i = 0; i < RANDOM_CASES; i++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            int skip = random.nextBoolean() ? prefix.length : 0; // get past the first bytes half of the time
            byte[] bytes = Arrays.copyOf(prefix, skip + noise.length);
            System.arraycopy(noise, 0, bytes, skip, noise.length);
            Limits limits = random.nextBoolean() ? Limits.small(random) : Limits.DEFAULT;
            String reference = check(i, bytes, Driver.all(bytes.length), false, limits, GET);
            assertEquals(reference, check(i, bytes, Driver.randomSplits(bytes.length, random), true, limits, GET));
        }
    }

    private static String check(int index, byte[] bytes, int[] segments, boolean direct, Limits limits,
            HttpMethod... methods) {
        try {
            return Driver.run(bytes, segments, direct, limits.count, limits.bytes, methods);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("case " + index + " " + Arrays.toString(methods) + " limits " + limits.count
                    + "/" + limits.bytes + ": " + escape(bytes), e);
        }
    }

    private record Limits(int count, int bytes) {
        static final Limits DEFAULT =
                new Limits(HttpResponseParser.DEFAULT_MAX_HEADER_COUNT, HttpResponseParser.DEFAULT_MAX_HEADER_BYTES);

        static Limits small(Random random) {
            return new Limits(1 + random.nextInt(8), 24 + random.nextInt(400));
        }
    }

    private static final class Generated {
        final byte[] bytes;
        final HttpMethod[] methods;
        final List<byte[]> bodies;

        Generated(byte[] bytes, HttpMethod[] methods, List<byte[]> bodies) {
            this.bytes = bytes;
            this.methods = methods;
            this.bodies = bodies;
        }

        @Override
        public String toString() {
            return Arrays.toString(methods) + " " + escape(bytes);
        }
    }

    /** One or two (pipelined) valid responses, with the bodies they must deliver. */
    private static Generated generate(Random random) {
        int count = random.nextInt(5) == 0 ? 2 : 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HttpMethod[] methods = new HttpMethod[count];
        List<byte[]> bodies = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            methods[k] = random.nextInt(8) == 0 ? HEAD : GET;
            boolean http10 = random.nextInt(6) == 0;
            String eol = random.nextInt(10) == 0 ? "\n" : "\r\n";
            if (!http10 && random.nextInt(6) == 0) {
                write(out, "HTTP/1.1 100 Continue" + eol + eol);
            }
            int[] statuses = {200, 200, 201, 204, 206, 301, 304, 404, 500, 503};
            int status = statuses[random.nextInt(statuses.length)];
            write(out, (http10 ? "HTTP/1.0 " : "HTTP/1.1 ") + status + (random.nextInt(8) == 0 ? "" : " Reason") + eol);
            for (int h = random.nextInt(6); h > 0; h--) {
                write(out, NAMES[random.nextInt(NAMES.length)] + ":" + " ".repeat(random.nextInt(2)) + value(random));
                write(out, random.nextInt(10) == 0 ? eol + "\t" + value(random) + eol : eol);
            }
            boolean bodiless = methods[k] == HEAD || status == 204 || status == 304;
            byte[] body = new byte[random.nextInt(200)];
            random.nextBytes(body);
            int framing = random.nextInt(k == count - 1 ? 3 : 2); // close-delimited only for the last one
            if (framing == 1 && http10) {
                framing = 0;
            }
            if (framing == 0) {
                write(out, "Content-Length: " + body.length + eol + eol);
                if (!bodiless) {
                    out.writeBytes(body);
                }
            } else if (framing == 1) {
                write(out, "Transfer-Encoding: chunked" + eol + eol);
                if (!bodiless) {
                    writeChunked(out, body, eol, random);
                }
            } else {
                write(out, eol);
                if (!bodiless) {
                    out.writeBytes(body);
                }
            }
            bodies.add(bodiless ? new byte[0] : body);
        }
        return new Generated(out.toByteArray(), methods, bodies);
    }

    private static void writeChunked(ByteArrayOutputStream out, byte[] body, String eol, Random random) {
        int offset = 0;
        while (offset < body.length) {
            int size = Math.min(body.length - offset, 1 + random.nextInt(64));
            String hex = Integer.toHexString(size);
            write(out, (random.nextBoolean() ? hex : hex.toUpperCase()) + (random.nextInt(4) == 0 ? ";ext=1" : "") + eol);
            out.write(body, offset, size);
            write(out, eol);
            offset += size;
        }
        write(out, "0" + eol);
        if (random.nextInt(3) == 0) {
            write(out, "X-Trailer: " + value(random) + eol);
        }
        write(out, eol);
    }

    private static String value(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int c = random.nextInt(10) == 0 ? 0x80 + random.nextInt(0x80) : 0x20 + random.nextInt(0x5F);
            sb.append((char) c);
        }
        return sb.toString().strip();
    }

    private static byte[] mutate(byte[] input, Random random) {
        byte[] b = input;
        for (int m = 1 + random.nextInt(3); m > 0; m--) {
            int at = random.nextInt(b.length + 1);
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (at < b.length) {
                        b[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> b = Arrays.copyOf(b, at);
                case 2 -> {
                    byte[] inserted = new byte[1 + random.nextInt(8)];
                    for (int i = 0; i < inserted.length; i++) {
                        inserted[i] = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)]
                                : (byte) random.nextInt(256);
                    }
                    b = splice(b, at, at, inserted);
                }
                case 3 -> b = splice(b, at, Math.min(b.length, at + 1 + random.nextInt(16)), new byte[0]);
                case 4 -> {
                    if (at < b.length) {
                        b[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    }
                }
                default -> b = splice(b, at, at, Arrays.copyOfRange(b, at, Math.min(b.length, at + random.nextInt(32))));
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] replacement) {
        byte[] result = new byte[b.length - (to - from) + replacement.length];
        System.arraycopy(b, 0, result, 0, from);
        System.arraycopy(replacement, 0, result, from, replacement.length);
        System.arraycopy(b, to, result, from + replacement.length, b.length - to);
        return result;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(ISO_8859_1));
    }

    private static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : bytes) {
            int c = x & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02X", c));
        }
        return sb.append('"').toString();
    }
}
