package dev.sluice.samples.http;

import static dev.sluice.samples.http.HttpMethod.GET;
import static dev.sluice.samples.http.HttpParseException.Kind.BAD_CHUNK;
import static dev.sluice.samples.http.HttpParseException.Kind.BAD_CONTENT_LENGTH;
import static dev.sluice.samples.http.HttpParseException.Kind.BAD_HEADER;
import static dev.sluice.samples.http.HttpParseException.Kind.BAD_STATUS_LINE;
import static dev.sluice.samples.http.HttpParseException.Kind.BAD_TRANSFER_ENCODING;
import static dev.sluice.samples.http.HttpParseException.Kind.HEADERS_TOO_LARGE;
import static dev.sluice.samples.http.HttpParseException.Kind.NO_RESPONSE;
import static dev.sluice.samples.http.HttpParseException.Kind.PREMATURE_EOF;
import static dev.sluice.samples.http.HttpParseException.Kind.TOO_MANY_HEADERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.samples.http.HttpParseException.Kind;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed responses. Each is cut right after the bytes that prove it malformed, so the error must
 * come from {@code parse} itself, never only at end of stream: the parser may not wait for bytes it
 * does not need. Truncations are the exception: only end of stream proves them wrong.
 */
final class HttpResponseParserRejectTest {

    private static final String OK = "HTTP/1.1 200 OK\r\n";
    private static final String CHUNKED = OK + "Transfer-Encoding: chunked\r\n\r\n";

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad("not HTTP at all", "SSH-2.0-OpenSSH_9.6\r\n", BAD_STATUS_LINE),
                bad("judged at the first wrong byte", "I", BAD_STATUS_LINE),
                bad("lower-case http (RFC 9112 §2.3 is case-sensitive)", "http/1.1 200 OK\r\n", BAD_STATUS_LINE),
                bad("leading empty line", "\r\nHTTP/1.1 200 OK\r\n", BAD_STATUS_LINE),
                bad("HTTP/2 status line", "HTTP/2.0 200 OK\r\n", BAD_STATUS_LINE),
                bad("version not digits", "HTTP/1.x 200 OK\r\n", BAD_STATUS_LINE),
                bad("no status code", "HTTP/1.1\r\n", BAD_STATUS_LINE),
                bad("two spaces before code", "HTTP/1.1  200 OK\r\n", BAD_STATUS_LINE),
                bad("non-numeric status code", "HTTP/1.1 2x0 OK\r\n", BAD_STATUS_LINE),
                bad("two-digit status code", "HTTP/1.1 20 OK\r\n", BAD_STATUS_LINE),
                bad("four-digit status code", "HTTP/1.1 2000 OK\r\n", BAD_STATUS_LINE),
                bad("status code below 100", "HTTP/1.1 099 Low\r\n", BAD_STATUS_LINE),
                bad("status code above 599", "HTTP/1.1 600 High\r\n", BAD_STATUS_LINE),
                bad("101 without an upgrade request", "HTTP/1.1 101 Switching Protocols\r\n", BAD_STATUS_LINE),
                bad("NUL in reason phrase", "HTTP/1.1 200 O\u0000", BAD_STATUS_LINE),
                bad("bare CR in status line", "HTTP/1.1 200 OK\rX", BAD_STATUS_LINE),
                bad("header without colon", OK + "NoColon\r\n", BAD_HEADER),
                bad("space before colon (RFC 9112 §5.1)", OK + "Name :", BAD_HEADER),
                bad("tab before colon", OK + "Name\t", BAD_HEADER),
                bad("empty field name", OK + ":", BAD_HEADER),
                bad("separator in field name", OK + "Bad@", BAD_HEADER),
                bad("non-ASCII in field name", OK + "Caf\u00e9", BAD_HEADER),
                bad("NUL in field value", OK + "X: a\u0000", BAD_HEADER),
                bad("ESC in field value", OK + "X: a\u001b", BAD_HEADER),
                bad("DEL in field value", OK + "X: a\u007f", BAD_HEADER),
                bad("bare CR in field value", OK + "X: a\rb", BAD_HEADER),
                bad("folded line before any field", OK + " folded: x\r\n", BAD_HEADER),
                bad("malformed trailer", CHUNKED + "0\r\nBad Trailer", BAD_HEADER),
                bad("folded first trailer line", CHUNKED + "0\r\n\tx\r\n", BAD_HEADER),
                bad("header section over 64 KiB", OK + "X-Big: " + "a".repeat(64 * 1024), HEADERS_TOO_LARGE),
                bad("status line over 64 KiB", "HTTP/1.1 200 " + "a".repeat(64 * 1024), HEADERS_TOO_LARGE),
                bad("101 field lines", OK + "X: y\r\n".repeat(101), TOO_MANY_HEADERS),
                bad("101 trailer lines", CHUNKED + "0\r\n" + "X: y\r\n".repeat(101), TOO_MANY_HEADERS),
                bad("negative Content-Length", OK + "Content-Length: -1\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("signed Content-Length", OK + "Content-Length: +5\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("non-numeric Content-Length", OK + "Content-Length: abc\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("hex Content-Length", OK + "Content-Length: 0x10\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("space inside Content-Length", OK + "Content-Length: 1 2\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("empty Content-Length", OK + "Content-Length:\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("overflowing Content-Length", OK + "Content-Length: 99999999999999999999\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("conflicting Content-Length lines",
                        OK + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("conflicting Content-Length list", OK + "Content-Length: 5, 6\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("Content-Length list with empty member", OK + "Content-Length: 5,\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("Content-Length with chunked (RFC 9112 §6.3)",
                        OK + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", BAD_CONTENT_LENGTH),
                bad("unsupported transfer coding", OK + "Transfer-Encoding: gzip, chunked\r\n\r\n", BAD_TRANSFER_ENCODING),
                bad("chunked twice", OK + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                        BAD_TRANSFER_ENCODING),
                bad("identity transfer coding", OK + "Transfer-Encoding: identity\r\n\r\n", BAD_TRANSFER_ENCODING),
                bad("Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1)",
                        "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", BAD_TRANSFER_ENCODING),
                bad("non-hex chunk size", CHUNKED + "z", BAD_CHUNK),
                bad("negative chunk size", CHUNKED + "-", BAD_CHUNK),
                bad("0x prefix on chunk size", CHUNKED + "0x", BAD_CHUNK),
                bad("junk after chunk size", CHUNKED + "5 x", BAD_CHUNK),
                bad("empty chunk-size line", CHUNKED + "\r\n", BAD_CHUNK),
                bad("overflowing chunk size", CHUNKED + "10000000000000000", BAD_CHUNK),
                bad("control character in chunk extension", CHUNKED + "5;a\u0001", BAD_CHUNK),
                bad("bare CR in chunk-size line", CHUNKED + "5\rX", BAD_CHUNK),
                bad("chunk-size line over 4 KiB", CHUNKED + "5;" + "x".repeat(4096), BAD_CHUNK),
                bad("chunk data longer than its size", CHUNKED + "5\r\nhelloX", BAD_CHUNK),
                bad("bare CR after chunk data", CHUNKED + "5\r\nhello\rX", BAD_CHUNK),
                atEof("nothing at all", "", NO_RESPONSE),
                atEof("status line cut", "HTTP/1.1 200 O", PREMATURE_EOF),
                atEof("header section cut", OK + "Content-Le", PREMATURE_EOF),
                atEof("only an interim response", "HTTP/1.1 100 Continue\r\n\r\n", PREMATURE_EOF),
                atEof("Content-Length body cut", OK + "Content-Length: 10\r\n\r\nshort", PREMATURE_EOF),
                atEof("chunk data cut", CHUNKED + "5\r\nhel", PREMATURE_EOF),
                atEof("last chunk missing", CHUNKED + "5\r\nhello\r\n", PREMATURE_EOF),
                atEof("trailer section cut", CHUNKED + "0\r\nX: y\r\n", PREMATURE_EOF));
    }

    private static Arguments bad(String name, String response, Kind kind) {
        return Arguments.of(name, response, "error " + kind);
    }

    private static Arguments atEof(String name, String response, Kind kind) {
        return Arguments.of(name, response, "eof-error " + kind);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectWithTheRightKindWhateverTheSplit(String name, String response, String expected) {
        int length = response.length();
        assertEquals(expected, lastLine(Driver.run(response, Driver.all(length), GET)), "all at once");
        assertEquals(expected, lastLine(Driver.run(response, Driver.byteByByte(length), GET)), "byte by byte");
        Random random = new Random(name.hashCode());
        for (int i = 0; i < 5; i++) {
            int[] splits = Driver.randomSplits(length, random);
            assertEquals(expected, lastLine(Driver.run(response, splits, GET)), java.util.Arrays.toString(splits));
        }
    }

    @Test
    void shouldDeliverNothingOfAResponseWhoseHeadIsRejected() {
        String response = OK + "Content-Type: text/plain\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello";
        assertEquals("error BAD_CONTENT_LENGTH\n", Driver.run(response, Driver.all(response.length()), GET));
    }

    @Test
    void shouldGiveClearMessages() throws Exception {
        HttpResponseParser parser = new HttpResponseParser(new HttpResponseParserTest.IgnoringListener());
        HttpParseException e = assertThrows(HttpParseException.class,
                () -> parser.parse(HttpResponseParserTest.ascii(OK + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")));
        assertEquals("Content-Length together with Transfer-Encoding (RFC 9112 §6.2, §6.3 rule 3)", e.getMessage());
        parser.reset(GET);
        e = assertThrows(HttpParseException.class, () -> parser.parse(HttpResponseParserTest.ascii(OK + "Name : v")));
        assertEquals("whitespace between field name and colon (RFC 9112 §5.1): Name ", e.getMessage());
        parser.reset(GET);
        e = assertThrows(HttpParseException.class, () -> parser.parse(HttpResponseParserTest.ascii("HTTP/1.1 2x0 OK\r\n")));
        assertEquals("status code is not three digits: HTTP/1.1 2x0 OK", e.getMessage());
        parser.reset(GET);
        assertEquals(HttpResponseParser.Result.NEED_MORE,
                parser.parse(HttpResponseParserTest.ascii(OK + "Content-Length: 10\r\n\r\nabc")));
        e = assertThrows(HttpParseException.class, parser::finish);
        assertEquals("connection closed before body complete: received 3 of 10 bytes", e.getMessage());
        assertTrue(e instanceof java.io.IOException);
    }

    private static String lastLine(String transcript) {
        String[] lines = transcript.split("\n");
        return lines[lines.length - 1];
    }
}
