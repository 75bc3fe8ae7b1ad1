package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.samples.http.HttpRequestException.Kind;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server's request parser, without sockets: all at once, byte by byte and in random splits. */
final class HttpRequestParserTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of("plain GET", GET, "GET / 1 keep-alive body=0\n"),
                Arguments.of("wrk's request", "GET /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
                        "GET /x?y=1 1 keep-alive body=0\n"),
                Arguments.of("pipelined, the last asks to close",
                        GET + "HEAD /a HTTP/1.1\r\nhost: h\r\n\r\n" + "GET /b HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n",
                        "GET / 1 keep-alive body=0\nHEAD /a 1 keep-alive body=0\nGET /b 1 close body=0\n"),
                Arguments.of("HTTP/1.0 closes by default", "GET / HTTP/1.0\r\n\r\n", "GET / 0 close body=0\n"),
                Arguments.of("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: foo, Keep-Alive\r\n\r\n",
                        "GET / 0 keep-alive body=0\n"),
                Arguments.of("HTTP/1.2 is treated as 1.1", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", "GET / 1 keep-alive body=0\n"),
                Arguments.of("empty lines before the request line, bare LF line ends", "\r\n\nGET / HTTP/1.1\nHost: h\n\n",
                        "GET / 1 keep-alive body=0\n"),
                Arguments.of("other method, fixed body, then the next request",
                        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\nhello" + GET,
                        "POST /p 1 keep-alive body=5\nGET / 1 keep-alive body=0\n"),
                Arguments.of("chunked body with extension and trailer",
                        "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n5;x=y\r\nhello\r\nA\r\n0123456789\r\n"
                                + "0\r\nX-Trailer: t\r\n\r\n" + GET,
                        "PUT /c 1 keep-alive body=15\nGET / 1 keep-alive body=0\n"),
                Arguments.of("field values with tabs and obs-text", "GET / HTTP/1.1\r\nHost:h\r\nX: \ta\u00ffb \t\r\n\r\n",
                        "GET / 1 keep-alive body=0\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void shouldParseTheSameWayHoweverTheBytesAreSplit(String name, String input, String expected) {
        assertEquals(expected, run(input, new int[] {input.length()}), "all at once");
        int[] ones = new int[input.length()];
        java.util.Arrays.fill(ones, 1);
        assertEquals(expected, run(input, ones), "byte by byte");
        Random random = new Random(name.hashCode());
        for (int i = 0; i < 20; i++) {
            assertEquals(expected, run(input, Driver.randomSplits(input.length(), random)), "random split " + i);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not HTTP", "SSH-2.0-OpenSSH\r\n", Kind.BAD_REQUEST_LINE),
                Arguments.of("two spaces", "GET  / HTTP/1.1\r\n", Kind.BAD_REQUEST_LINE),
                Arguments.of("no version", "GET /\r\n", Kind.BAD_REQUEST_LINE),
                Arguments.of("lower-case version", "GET / http/1.1\r\n", Kind.BAD_REQUEST_LINE),
                Arguments.of("separator in method", "G(T / HTTP/1.1\r\n", Kind.BAD_REQUEST_LINE),
                Arguments.of("space in target", "GET /a b HTTP/1.1\r\n", Kind.BAD_REQUEST_LINE),
                Arguments.of("NUL in request line", "GET /\u0000", Kind.BAD_REQUEST_LINE),
                Arguments.of("bare CR", "GET / HTTP/1.1\rX", Kind.BAD_REQUEST_LINE),
                Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\n", Kind.VERSION_NOT_SUPPORTED),
                Arguments.of("no colon", "GET / HTTP/1.1\r\nHost\r\n", Kind.BAD_HEADER),
                Arguments.of("space before colon", "GET / HTTP/1.1\r\nHost :", Kind.BAD_HEADER),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\nHost: h\r\n folded", Kind.BAD_HEADER),
                Arguments.of("control byte in value", "GET / HTTP/1.1\r\nX: a\u0001", Kind.BAD_HEADER),
                Arguments.of("no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", Kind.BAD_HOST),
                Arguments.of("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", Kind.BAD_HOST),
                Arguments.of("bad Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n", Kind.BAD_CONTENT_LENGTH),
                Arguments.of("conflicting Content-Length",
                        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n", Kind.BAD_CONTENT_LENGTH),
                Arguments.of("Content-Length and chunked",
                        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                        Kind.BAD_CONTENT_LENGTH),
                Arguments.of("gzip coding", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
                        Kind.UNSUPPORTED_TRANSFER_ENCODING),
                Arguments.of("bad chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nZ", Kind.BAD_CHUNK),
                Arguments.of("chunk longer than its size",
                        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab", Kind.BAD_CHUNK),
                Arguments.of("body over the limit", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1025\r\n\r\n",
                        Kind.BODY_TOO_LARGE),
                Arguments.of("request line over the limit", "GET /" + "a".repeat(300), Kind.URI_TOO_LONG),
                Arguments.of("head over the limit", "GET / HTTP/1.1\r\nX: " + "a".repeat(300), Kind.HEADERS_TOO_LARGE),
                Arguments.of("too many fields", "GET / HTTP/1.1\r\n" + "X: 1\r\n".repeat(11), Kind.TOO_MANY_HEADERS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectWithATypedErrorAsSoonAsTheBytesProveIt(String name, String input, Kind kind) {
        assertEquals("error " + kind + "\n", run(input, new int[] {input.length()}));
        int[] ones = new int[input.length()];
        java.util.Arrays.fill(ones, 1);
        assertEquals("error " + kind + "\n", run(input, ones), "byte by byte");
    }

    @Test
    void shouldMapEveryErrorKindToAClientOrServerErrorStatus() {
        for (Kind kind : Kind.values()) {
            assertTrue(kind.statusCode() >= 400 && kind.statusCode() <= 505, kind.toString());
        }
        assertEquals(400, Kind.BAD_REQUEST_LINE.statusCode());
        assertEquals(431, Kind.HEADERS_TOO_LARGE.statusCode());
    }

    @Test
    void shouldCompareTheTargetWithoutAllocatingAndReportOtherMethodsAsNull() throws Exception {
        HttpRequestParser parser = new HttpRequestParser();
        assertTrue(parser.parse(ascii("DELETE /x HTTP/1.1\r\nHost: h\r\n\r\n")));
        assertNull(parser.method());
        assertEquals("DELETE", parser.methodName());
        assertTrue(parser.targetEquals("/x".getBytes(ISO_8859_1)));
        assertFalse(parser.targetEquals("/".getBytes(ISO_8859_1)));
    }

    @Test
    void shouldRefuseUseAfterAFailureUntilReset() throws Exception {
        HttpRequestParser parser = new HttpRequestParser();
        assertThrows(HttpRequestException.class, () -> parser.parse(ascii("\u0001")));
        assertThrows(IllegalStateException.class, () -> parser.parse(ascii(GET)));
        parser.reset();
        assertTrue(parser.parse(ascii(GET)));
    }

    @Test
    void shouldNotAllocateWhileParsingPipelinedRequests() throws Exception {
        HttpRequestParser parser = new HttpRequestParser();
        ByteBuffer requests = ByteBuffer.allocateDirect(GET.length() * 16);
        for (int i = 0; i < 16; i++) {
            requests.put(GET.getBytes(ISO_8859_1));
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = 0;
        for (int round = 0; round < 40_000; round++) {
            if (round == 20_000) {
                before = threads.getThreadAllocatedBytes(id);
            }
            requests.clear();
            while (parser.parse(requests)) {
                if (parser.method() != HttpMethod.GET || !parser.keepAlive()) {
                    throw new AssertionError("wrong request");
                }
                parser.reset();
            }
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 20_000, "allocated " + allocated + " bytes for 320,000 requests");
    }

    /** Feeds the segments through one buffer the way a connection would; returns a transcript. */
    private static String run(String input, int[] segments) {
        HttpRequestParser parser = new HttpRequestParser(256, 10, 1024);
        byte[] bytes = input.getBytes(ISO_8859_1);
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 1);
        StringBuilder out = new StringBuilder();
        int offset = 0;
        try {
            for (int segment : segments) {
                buffer.put(bytes, offset, segment);
                offset += segment;
                buffer.flip();
                while (parser.parse(buffer)) {
                    out.append(parser.methodName()).append(' ').append(parser.target()).append(' ')
                            .append(parser.minorVersion()).append(parser.keepAlive() ? " keep-alive" : " close")
                            .append(" body=").append(parser.bodyBytes()).append('\n');
                    parser.reset();
                }
                buffer.compact();
            }
        } catch (HttpRequestException e) {
            return out.append("error ").append(e.kind()).append('\n').toString();
        }
        return out.toString();
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(ISO_8859_1));
    }
}
