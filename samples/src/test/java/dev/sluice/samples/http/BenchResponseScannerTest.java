package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's allocation-free response framing: every response shape the bench can meet, fed
 * whole and split at every byte, ends exactly where the strict parser says it ends.
 */
final class BenchResponseScannerTest {

    private static final String HELLO = "HTTP/1.1 200 OK\r\nServer: sluice\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 13\r\n\r\nHello, World!";
    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "5;ext=1\r\nHello\r\n8\r\n, World!\r\n0\r\nTrailer: x\r\n\r\n";

    @Test
    void shouldEndEachResponseWhereItsFramingSaysEvenWhenSplitAtEveryByte() throws Exception {
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        String notModified = "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n";
        String stream = HELLO + CHUNKED + interim + HELLO + notModified + "HTTP/1.1 404 Not Found\nContent-length:  0\n\n";
        List<Integer> expected = List.of(200, 200, 200, 304, 404);
        assertEquals(expected, scanAll(stream, stream.length()));
        for (int split = 1; split < stream.length(); split++) {
            assertEquals(expected, scanAll(stream, split), "split every " + split + " bytes");
        }
    }

    @Test
    void shouldReadPersistenceAsRfc9112Section9Says() throws Exception {
        assertTrue(keepAlive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertFalse(keepAlive("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n"));
        assertFalse(keepAlive("HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 0\r\n\r\n"));
        assertFalse(keepAlive("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertTrue(keepAlive("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void shouldCompleteACloseDelimitedBodyAtEndOfInput() throws Exception {
        BenchResponseScanner s = new BenchResponseScanner();
        assertEquals(BenchResponseScanner.Result.NEED_MORE, s.scan(ascii("HTTP/1.0 200 OK\r\n\r\nbody until close")));
        assertFalse(s.keepAlive(), "a close-delimited body ends the connection");
        assertTrue(s.endOfInput());
        assertFalse(new BenchResponseScanner().endOfInput(), "nothing to complete on a fresh scanner");
    }

    @Test
    void shouldRejectWhatCannotBeFramed() {
        for (String bad : new String[] {"HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
                "HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n"}) {
            assertThrows(HttpParseException.class, () -> new BenchResponseScanner().scan(ascii(bad)), bad);
        }
        String huge = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(70_000) + "\r\n\r\n";
        assertThrows(HttpParseException.class, () -> new BenchResponseScanner().scan(ascii(huge)));
    }

    private static boolean keepAlive(String response) throws Exception {
        BenchResponseScanner s = new BenchResponseScanner();
        assertEquals(BenchResponseScanner.Result.COMPLETE, s.scan(ascii(response)));
        return s.keepAlive();
    }

    /** Feeds {@code stream} in pieces of {@code split} bytes; returns the status of each completed response. */
    private static List<Integer> scanAll(String stream, int split) throws Exception {
        BenchResponseScanner s = new BenchResponseScanner();
        List<Integer> statuses = new ArrayList<>();
        byte[] bytes = stream.getBytes(ISO_8859_1);
        for (int at = 0; at < bytes.length; at += split) {
            ByteBuffer piece = ByteBuffer.wrap(bytes, at, Math.min(split, bytes.length - at));
            while (piece.hasRemaining()) {
                if (s.scan(piece) == BenchResponseScanner.Result.COMPLETE) {
                    statuses.add(s.status());
                    s.reset();
                }
            }
        }
        return statuses;
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(ISO_8859_1));
    }
}
