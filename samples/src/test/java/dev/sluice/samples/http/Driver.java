package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Thread: the test thread only.
 *
 * <p>Feeds bytes to a parser the way a connection would: segments arrive in one read buffer, the
 * parser consumes what it can, unconsumed bytes are compacted and kept for the next read, a complete
 * response is followed by {@code reset} for the next expected one, and end of input is reported with
 * {@code finish}. Returns a transcript of everything that happened, so runs with different splits
 * can be compared as strings. Checks the memory bound after every call.
 */
final class Driver {

    private Driver() {
    }

    static String run(String response, int[] segments, HttpMethod... methods) {
        return run(response.getBytes(ISO_8859_1), segments, false,
                HttpResponseParser.DEFAULT_MAX_HEADER_COUNT, HttpResponseParser.DEFAULT_MAX_HEADER_BYTES, methods);
    }

    static String run(byte[] input, int[] segments, boolean direct, int maxHeaderCount, int maxHeaderBytes,
            HttpMethod... methods) {
        Recorder recorder = new Recorder();
        HttpResponseParser parser = new HttpResponseParser(recorder, maxHeaderCount, maxHeaderBytes);
        parser.reset(methods[0]);
        StringBuilder out = new StringBuilder();
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(input.length + 1) : ByteBuffer.allocate(input.length + 1);
        int expected = 0;
        int offset = 0;
        try {
            for (int segment : segments) {
                buffer.put(input, offset, segment);
                offset += segment;
                buffer.flip();
                while (expected < methods.length && parser.parse(buffer) == HttpResponseParser.Result.COMPLETE) {
                    out.append(recorder.drain()).append("keep-alive ").append(parser.keepAlive()).append('\n');
                    if (++expected < methods.length) {
                        recorder.next();
                        parser.reset(methods[expected]);
                    }
                }
                checkBounded(parser, maxHeaderBytes);
                buffer.compact();
            }
            if (offset != input.length) {
                throw new AssertionError("segments cover " + offset + " of " + input.length + " bytes");
            }
            if (expected < methods.length) {
                try {
                    parser.finish();
                } catch (HttpParseException e) {
                    return out.append(recorder.drain()).append("eof-error ").append(e.kind()).append('\n').toString();
                }
                if (parser.parse(ByteBuffer.allocate(0)) != HttpResponseParser.Result.COMPLETE || !recorder.isDone()) {
                    throw new AssertionError("finish() neither completed the response nor threw");
                }
                out.append(recorder.drain()).append("keep-alive ").append(parser.keepAlive()).append(" (at eof)\n");
            }
            buffer.flip();
            if (buffer.hasRemaining()) {
                out.append("left over ").append(buffer.remaining()).append('\n');
            }
            return out.toString();
        } catch (HttpParseException e) {
            checkBounded(parser, maxHeaderBytes);
            return out.append(recorder.drain()).append("error ").append(e.kind()).append('\n').toString();
        }
    }

    private static void checkBounded(HttpResponseParser parser, int maxHeaderBytes) {
        if (parser.retainedBytes() > maxHeaderBytes || parser.retainedFieldChars() > maxHeaderBytes) {
            throw new AssertionError("parser retains " + parser.retainedBytes() + " bytes and "
                    + parser.retainedFieldChars() + " field chars; limit " + maxHeaderBytes);
        }
    }

    static int[] all(int length) {
        return new int[] {length};
    }

    static int[] byteByByte(int length) {
        int[] segments = new int[length];
        java.util.Arrays.fill(segments, 1);
        return segments;
    }

    /** Random cuts, empty segments included (a read that returns 0 bytes must be harmless too). */
    static int[] randomSplits(int length, Random random) {
        int[] segments = new int[0];
        int left = length;
        while (left > 0) {
            int next = Math.min(left, random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(Math.min(left, 40)));
            segments = java.util.Arrays.copyOf(segments, segments.length + 1);
            segments[segments.length - 1] = next;
            left -= next;
        }
        return segments;
    }
}
