package dev.sluice.samples.http;

import static dev.sluice.samples.http.HttpMethod.GET;
import static dev.sluice.samples.http.HttpMethod.HEAD;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.samples.http.HttpResponseParser.Result;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Well-formed responses, each fed all at once, byte by byte and in random splits. */
final class HttpResponseParserTest {

    private static final int RANDOM_SPLITS_PER_CASE = 20;

    static Stream<Object[]> wellFormed() {
        return Stream.of(
                ok("content-length",
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
                        "status 200 OK\nheader Content-Type: text/plain\nheader Content-Length: 5\nheaders-complete\n"
                                + "body hello\ncomplete\nkeep-alive true\n"),
                ok("content-length zero",
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                        "status 200 OK\nheader Content-Length: 0\nheaders-complete\ncomplete\nkeep-alive true\n"),
                ok("chunked with extensions and trailers",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: Expires, X-Sum\r\n\r\n"
                                + "5;name=value\r\nhello\r\n6 ; a=\"b c\";flag\r\n world\r\n0;last\r\n"
                                + "Expires: never\r\nX-Sum: 1\r\nx-sum: 2\r\n\r\n",
                        "status 200 OK\nheader Transfer-Encoding: chunked\nheader Trailer: Expires, X-Sum\n"
                                + "headers-complete\nbody hello world\ntrailer Expires: never\ntrailer X-Sum: 1, 2\n"
                                + "complete\nkeep-alive true\n"),
                ok("chunked, upper-case hex with leading zeros, empty trailer section",
                        "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n000A\r\n0123456789\r\n1\r\n!\r\n00\r\n\r\n",
                        "status 200 OK\nheader transfer-encoding: Chunked\nheaders-complete\nbody 0123456789!\n"
                                + "complete\nkeep-alive true\n"),
                ok("chunked, empty body",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "status 200 OK\nheader Transfer-Encoding: chunked\nheaders-complete\ncomplete\nkeep-alive true\n"),
                ok("read until close",
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end\r\n\r\nof the stream",
                        "status 200 OK\nheader Content-Type: text/plain\nheaders-complete\n"
                                + "body until the end\r\n\r\nof the stream\ncomplete\nkeep-alive false (at eof)\n"),
                ok("204 ignores Content-Length",
                        "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n",
                        "status 204 No Content\nheader Content-Length: 10\nheaders-complete\ncomplete\nkeep-alive true\n"),
                ok("304 ignores Content-Length",
                        "HTTP/1.1 304 Not Modified\r\nETag: \"abc\"\r\nContent-Length: 1234\r\n\r\n",
                        "status 304 Not Modified\nheader ETag: \"abc\"\nheader Content-Length: 1234\nheaders-complete\n"
                                + "complete\nkeep-alive true\n"),
                new Object[] {"HEAD ignores Content-Length and chunked",
                        "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                        new HttpMethod[] {HEAD, HEAD},
                        "status 200 OK\nheader Content-Length: 1234\nheaders-complete\ncomplete\nkeep-alive true\n"
                                + "status 200 OK\nheader Transfer-Encoding: chunked\nheaders-complete\ncomplete\n"
                                + "keep-alive true\n"},
                ok("100 Continue and 103 Early Hints are skipped",
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
                                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                        "status 200 OK\nheader Content-Length: 2\nheaders-complete\nbody ok\ncomplete\nkeep-alive true\n"),
                new Object[] {"pipelined: three responses in one buffer",
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
                                + "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
                                + "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                + "3\r\nnot\r\n0\r\n\r\n",
                        new HttpMethod[] {GET, HEAD, GET},
                        "status 200 OK\nheader Content-Length: 3\nheaders-complete\nbody abc\ncomplete\nkeep-alive true\n"
                                + "status 200 OK\nheader Content-Length: 99\nheaders-complete\ncomplete\nkeep-alive true\n"
                                + "status 404 Not Found\nheader Transfer-Encoding: chunked\nheader Connection: close\n"
                                + "headers-complete\nbody not\ncomplete\nkeep-alive false\n"},
                new Object[] {"bytes after the expected response are left for the caller",
                        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1",
                        new HttpMethod[] {GET},
                        "status 200 OK\nheader Content-Length: 1\nheaders-complete\nbody x\ncomplete\nkeep-alive true\n"
                                + "left over 8\n"},
                ok("HTTP/1.0 without keep-alive reads until close",
                        "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>",
                        "status 200 OK\nheader Content-Type: text/html\nheaders-complete\nbody <html>\ncomplete\n"
                                + "keep-alive false (at eof)\n"),
                ok("HTTP/1.0 with keep-alive and Content-Length",
                        "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nhi",
                        "status 200 OK\nheader Connection: Keep-Alive\nheader Content-Length: 2\nheaders-complete\n"
                                + "body hi\ncomplete\nkeep-alive true\n"),
                ok("HTTP/1.0 with Content-Length but no keep-alive",
                        "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi",
                        "status 200 OK\nheader Content-Length: 2\nheaders-complete\nbody hi\ncomplete\nkeep-alive false\n"),
                ok("HTTP/1.1 with Connection: close among other options",
                        "HTTP/1.1 200 OK\r\nConnection: upgrade ,\tCLOSE\r\nContent-Length: 0\r\n\r\n",
                        "status 200 OK\nheader Connection: upgrade ,\tCLOSE\nheader Content-Length: 0\n"
                                + "headers-complete\ncomplete\nkeep-alive false\n"),
                ok("HTTP/1.2 is treated as HTTP/1.1 (RFC 9110 §2.5)",
                        "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n",
                        "status 200 OK\nheader Content-Length: 0\nheaders-complete\ncomplete\nkeep-alive true\n"),
                ok("duplicates combined in order, Set-Cookie kept apart",
                        "HTTP/1.1 200 OK\r\nCache-Control: no-cache\r\nSet-Cookie: a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT\r\n"
                                + "cache-control: no-store\r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n",
                        "status 200 OK\nheader Cache-Control: no-cache, no-store\n"
                                + "header Set-Cookie: a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT\nheader set-cookie: b=2\n"
                                + "header Content-Length: 0\nheaders-complete\ncomplete\nkeep-alive true\n"),
                ok("identical Content-Length values are one (RFC 9110 §8.6)",
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3 , 3\r\n\r\nabc",
                        "status 200 OK\nheader Content-Length: 3, 3 , 3\nheaders-complete\nbody abc\ncomplete\n"
                                + "keep-alive true\n"),
                ok("obsolete line folding is unfolded (RFC 9112 §5.2)",
                        "HTTP/1.1 200 OK\r\nX-Folded: first\r\n   second \r\n\tthird\r\n \r\nContent-Length: 0\r\n\r\n",
                        "status 200 OK\nheader X-Folded: first second third\nheader Content-Length: 0\n"
                                + "headers-complete\ncomplete\nkeep-alive true\n"),
                ok("whitespace trimmed, empty values, obs-text kept as ISO-8859-1",
                        "HTTP/1.1 200 OK\r\nX-Spaced: \t in  side \t\r\nX-Empty:\r\nX-Latin: caf\u00e9\r\nContent-Length: 0\r\n\r\n",
                        "status 200 OK\nheader X-Spaced: in  side\nheader X-Empty: \nheader X-Latin: caf\u00e9\n"
                                + "header Content-Length: 0\nheaders-complete\ncomplete\nkeep-alive true\n"),
                ok("empty reason phrase",
                        "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
                        "status 200 \nheader Content-Length: 0\nheaders-complete\ncomplete\nkeep-alive true\n"),
                ok("no space and no reason phrase",
                        "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n",
                        "status 404 \nheader Content-Length: 0\nheaders-complete\ncomplete\nkeep-alive true\n"),
                ok("bare LF line ends (RFC 9112 §2.2)",
                        "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
                        "status 200 OK\nheader Content-Length: 2\nheaders-complete\nbody ok\ncomplete\nkeep-alive true\n"),
                ok("binary body bytes, CR and LF included",
                        "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n\u0000\r\n\u00ff\r\r",
                        "status 200 OK\nheader Content-Length: 6\nheaders-complete\nbody \u0000\r\n\u00ff\r\r\ncomplete\n"
                                + "keep-alive true\n"));
    }

    private static Object[] ok(String name, String response, String expected) {
        return new Object[] {name, response, new HttpMethod[] {GET}, expected};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void shouldParseTheSameWhateverTheSplit(String name, String response, HttpMethod[] methods, String expected) {
        int length = response.length();
        assertEquals(expected, Driver.run(response, Driver.all(length), methods), "all at once");
        assertEquals(expected, Driver.run(response, Driver.byteByByte(length), methods), "byte by byte");
        Random random = new Random(name.hashCode());
        for (int i = 0; i < RANDOM_SPLITS_PER_CASE; i++) {
            int[] splits = Driver.randomSplits(length, random);
            String actual = Driver.run(response.getBytes(ISO_8859_1), splits, i % 2 == 0,
                    HttpResponseParser.DEFAULT_MAX_HEADER_COUNT, HttpResponseParser.DEFAULT_MAX_HEADER_BYTES, methods);
            assertEquals(expected, actual, "random split " + java.util.Arrays.toString(splits));
        }
    }

    @Test
    void shouldHandBodyBytesToTheListenerAsTheyArriveWithoutRetainingThem() throws Exception {
        Recorder recorder = new Recorder();
        HttpResponseParser parser = new HttpResponseParser(recorder);
        int bodyLength = 1 << 20;
        parser.parse(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + bodyLength + "\r\n\r\n"));
        byte[] piece = new byte[8192];
        for (int sent = 0; sent < bodyLength; sent += piece.length) {
            java.util.Arrays.fill(piece, (byte) (sent >>> 13));
            Result result = parser.parse(ByteBuffer.wrap(piece));
            assertEquals(sent + piece.length == bodyLength ? Result.COMPLETE : Result.NEED_MORE, result);
            assertArrayEquals(piece, java.util.Arrays.copyOfRange(recorder.body(), sent, sent + piece.length));
            assertTrue(parser.retainedBytes() <= 256, "body bytes must not be buffered");
        }
        assertEquals(bodyLength / piece.length, recorder.bodyCalls(), "one onBody per read, no copies");
    }

    @Test
    void shouldPlaceTheCallersPositionPastTheBodyWhetherOrNotTheListenerReadsIt() throws Exception {
        ResponseListener ignoring = new IgnoringListener();
        HttpResponseParser parser = new HttpResponseParser(ignoring);
        ByteBuffer in = ascii("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbodyNEXT");
        assertEquals(Result.COMPLETE, parser.parse(in));
        assertEquals(4, in.remaining());
        assertEquals(in.capacity(), in.limit(), "limit restored after onBody");
        assertEquals('N', in.get(in.position()));
    }

    @Test
    void shouldReportKeepAliveOnlyOnceTheHeadIsComplete() throws Exception {
        HttpResponseParser parser = new HttpResponseParser(new IgnoringListener());
        parser.parse(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"));
        assertThrows(IllegalStateException.class, parser::keepAlive);
        parser.parse(ascii("\r\nhel"));
        assertTrue(parser.keepAlive(), "known before the body is complete");
    }

    @Test
    void shouldStayCompleteWithoutConsumingUntilReset() throws Exception {
        HttpResponseParser parser = new HttpResponseParser(new IgnoringListener());
        assertEquals(Result.COMPLETE, parser.parse(ascii("HTTP/1.1 204 No Content\r\n\r\n")));
        ByteBuffer next = ascii("HTTP/1.1 200 OK\r\n\r\n");
        assertEquals(Result.COMPLETE, parser.parse(next));
        assertEquals(19, next.remaining(), "nothing consumed after completion");
        parser.finish(); // end of stream after a complete response is fine
        parser.reset(GET);
        assertEquals(Result.NEED_MORE, parser.parse(next));
        parser.finish();
        assertFalse(parser.keepAlive(), "close-delimited");
    }

    @Test
    void shouldRefuseUseAfterFailureUntilReset() throws Exception {
        HttpResponseParser parser = new HttpResponseParser(new IgnoringListener());
        assertThrows(HttpParseException.class, () -> parser.parse(ascii("SSH-2.0-OpenSSH\r\n")));
        assertThrows(IllegalStateException.class, () -> parser.parse(ascii("HTTP/1.1 200 OK\r\n")));
        assertThrows(IllegalStateException.class, parser::finish);
        parser.reset(GET);
        assertEquals(Result.COMPLETE, parser.parse(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")));
    }

    @Test
    void shouldKeepItsLineBufferAcrossResetAndNeverGrowItPastTheLimit() throws Exception {
        HttpResponseParser parser = new HttpResponseParser(new IgnoringListener(), 100, 4096);
        String big = "X-Big: " + "v".repeat(3000) + "\r\n";
        parser.parse(ascii("HTTP/1.1 200 OK\r\n" + big + "Content-Length: 0\r\n\r\n"));
        int grown = parser.retainedBytes();
        assertTrue(grown >= 3000 && grown <= 4096, "grown to " + grown);
        parser.reset(GET);
        assertEquals(grown, parser.retainedBytes(), "reset keeps the buffer");
        assertEquals(Result.COMPLETE, parser.parse(ascii("HTTP/1.1 200 OK\r\n" + big + "Content-Length: 0\r\n\r\n")));
        assertEquals(grown, parser.retainedBytes(), "no reallocation for the second response");
    }

    @Test
    void shouldAcceptAHeadOfExactlyTheByteLimitAndFieldCountLimit() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nContent-Length: 0\r\n\r\n";
        HttpResponseParser exact = new HttpResponseParser(new IgnoringListener(), 3, head.length());
        assertEquals(Result.COMPLETE, exact.parse(ascii(head)));
        HttpResponseParser oneByteShort = new HttpResponseParser(new IgnoringListener(), 3, head.length() - 1);
        assertEquals(HttpParseException.Kind.HEADERS_TOO_LARGE,
                assertThrows(HttpParseException.class, () -> oneByteShort.parse(ascii(head))).kind());
        HttpResponseParser oneFieldShort = new HttpResponseParser(new IgnoringListener(), 2, head.length());
        assertEquals(HttpParseException.Kind.TOO_MANY_HEADERS,
                assertThrows(HttpParseException.class, () -> oneFieldShort.parse(ascii(head))).kind());
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(ISO_8859_1));
    }

    /** A listener that reads nothing, to prove the parser positions the caller's buffer itself; open for extension. */
    @Test
    void shouldReportTheVersionOnceTheHeadIsComplete() throws Exception {
        HttpResponseParser parser = new HttpResponseParser(new IgnoringListener());
        assertThrows(IllegalStateException.class, parser::httpVersion);
        parser.parse(ByteBuffer.wrap("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(ISO_8859_1)));
        assertEquals("HTTP/1.0", parser.httpVersion());
        parser.reset(GET);
        parser.parse(ByteBuffer.wrap("HTTP/1.1 204 No Content\r\n\r\n".getBytes(ISO_8859_1)));
        assertEquals("HTTP/1.1", parser.httpVersion());
    }

    static class IgnoringListener implements ResponseListener {
        @Override
        public void onStatus(int statusCode, String reasonPhrase) {
        }

        @Override
        public void onHeader(String name, String value) {
        }

        @Override
        public void onHeadersComplete() {
        }

        @Override
        public void onBody(ByteBuffer chunk) {
        }

        @Override
        public void onTrailer(String name, String value) {
        }

        @Override
        public void onComplete() {
        }
    }
}
