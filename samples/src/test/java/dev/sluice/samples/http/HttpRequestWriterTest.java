package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class HttpRequestWriterTest {

    @Test
    void shouldWriteAKeepAliveGetExactly() {
        assertEquals("GET /a/b?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: sluice/0.1\r\nAccept: */*\r\n"
                + "Connection: keep-alive\r\n\r\n", text(HttpRequestWriter.get(HttpUrl.parse("http://example.com/a/b?x=1"), true)));
    }

    @Test
    void shouldWriteAClosingHeadExactly() {
        assertEquals("HEAD / HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: sluice/0.1\r\nAccept: */*\r\n"
                + "Connection: close\r\n\r\n", text(HttpRequestWriter.head(HttpUrl.parse("http://example.com:8080"), false)));
    }

    @Test
    void shouldBracketIpv6InTheHostField() {
        assertEquals("GET /x HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: sluice/0.1\r\nAccept: */*\r\n"
                + "Connection: close\r\n\r\n", text(HttpRequestWriter.get(HttpUrl.parse("http://[::1]:8080/x"), false)));
    }

    @ParameterizedTest
    @CsvSource({"1, h:1", "9, h:9", "10, h:10", "99, h:99", "100, h:100", "8080, h:8080", "65535, h:65535", "80, h"})
    void shouldWriteTheHostFieldAsHttpUrlDoes(int port, String hostField) {
        HttpUrl url = new HttpUrl("h", port, "/", null);
        assertEquals(hostField, url.hostHeader());
        String request = text(HttpRequestWriter.get(url, true));
        assertEquals("Host: " + hostField, request.split("\r\n")[1]);
    }

    @Test
    void shouldWriteIntoTheCallersBufferTheSameBytes() {
        HttpUrl url = HttpUrl.parse("http://[2001:db8::1]:81/p?q");
        ByteBuffer dst = ByteBuffer.allocateDirect(256);
        dst.put((byte) '#');
        int written = HttpRequestWriter.write(dst, HttpMethod.GET, url, true);
        assertEquals(HttpRequestWriter.encodedLength(HttpMethod.GET, url, true), written);
        assertEquals(1 + written, dst.position());
        dst.flip().get();
        assertEquals(text(HttpRequestWriter.get(url, true)), text(dst));
    }

    @Test
    void shouldWriteNothingWhenTheBufferIsTooSmall() {
        HttpUrl url = HttpUrl.parse("http://example.com/");
        ByteBuffer dst = ByteBuffer.allocate(HttpRequestWriter.encodedLength(HttpMethod.HEAD, url, false) - 1);
        assertThrows(BufferOverflowException.class, () -> HttpRequestWriter.write(dst, HttpMethod.HEAD, url, false));
        assertEquals(0, dst.position());
    }

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, US_ASCII);
    }
}
