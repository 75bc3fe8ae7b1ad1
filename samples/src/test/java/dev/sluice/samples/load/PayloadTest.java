package dev.sluice.samples.load;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pattern makes every message of a stream, and every stream, distinguishable. No sockets. */
class PayloadTest {

    @Test
    void shouldStartConsecutiveMessagesAtDifferentPlaces() {
        Set<Integer> starts = new HashSet<>();
        for (long k = 0; k < 10_000; k++) {
            int start = Payload.start(Payload.salt(3), k);
            assertTrue(start >= 0 && start < Payload.PERIOD);
            starts.add(start);
        }
        assertEquals(10_000, starts.size(), "no repeat within 10,000 messages, so a replayed one shows");
    }

    @Test
    void shouldGiveEachConnectionItsOwnStream() {
        Set<Integer> firsts = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            firsts.add(Payload.start(Payload.salt(i), 0));
        }
        assertEquals(1000, firsts.size());
    }

    @Test
    void shouldSliceExactlyTheBytesOfAMessage() {
        Payload p = new Payload(64, 42);
        ByteBuffer whole = Payload.slice(p.newView(), 0, 5, 0, 64);
        ByteBuffer tail = Payload.slice(p.newView(), 0, 5, 10, 54);
        ByteBuffer next = Payload.slice(p.newView(), 0, 6, 0, 64);

        assertEquals(64, whole.remaining());
        assertEquals(-1, whole.duplicate().position(whole.position() + 10).mismatch(tail));
        assertNotEquals(-1, whole.mismatch(next));
    }

    @Test
    void shouldAllowMessagesLongerThanThePeriod() {
        Payload p = new Payload(1 << 20, 42);
        ByteBuffer last = Payload.slice(p.newView(), Payload.salt(999), 123_456_789L, (1 << 20) - 1, 1);
        assertEquals(1, last.remaining());
    }
}
