package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.samples.http.ServerResponses.Canned;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The canned responses and their Date, on a wall clock the test sets. */
final class HttpServerResponsesTest {

    private static String text(ByteBuffer b) {
        return ISO_8859_1.decode(b.duplicate()).toString();
    }

    @Test
    void shouldWriteTheTechEmpowerPlaintextResponseWithAnImfFixdate() {
        AtomicLong wallMs = new AtomicLong(784_111_777_000L); // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110 §5.6.7)
        ServerResponses responses = new ServerResponses(wallMs::get);
        assertEquals("HTTP/1.1 200 OK\r\nServer: sluice\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!",
                text(responses.canned(Canned.HELLO, false, ServerResponses.Persistence.DEFAULT)));
        assertTrue(text(responses.canned(Canned.HELLO, true, ServerResponses.Persistence.CLOSE)).endsWith("Connection: close\r\n\r\n"));
    }

    @Test
    void shouldReuseOneBufferPerSecondAndRebuildItWhenTheSecondChanges() {
        AtomicLong wallMs = new AtomicLong(784_111_777_000L);
        ServerResponses responses = new ServerResponses(wallMs::get);
        ByteBuffer first = responses.canned(Canned.HELLO, false, ServerResponses.Persistence.DEFAULT);
        first.position(first.limit()); // as writeCopy leaves it
        wallMs.addAndGet(999);
        ByteBuffer again = responses.canned(Canned.HELLO, false, ServerResponses.Persistence.DEFAULT);
        assertSame(first, again);
        assertEquals(0, again.position(), "handed out rewound");
        wallMs.addAndGet(1);
        ByteBuffer next = responses.canned(Canned.HELLO, false, ServerResponses.Persistence.DEFAULT);
        assertNotSame(first, next);
        assertTrue(text(next).contains("Date: Sun, 06 Nov 1994 08:49:38 GMT"), text(next));
    }
}
