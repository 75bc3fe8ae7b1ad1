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
    void shouldRepeatOnlyEveryPeriod() {
        Payload p = new Payload(64, 42);
        ByteBuffer view = p.newView();
        for (int i = 0; i + Payload.PERIOD < view.capacity(); i += 997) {
            assertEquals(view.get(i), view.get(i + Payload.PERIOD), "byte " + i);
        }
        // Consecutive 64-byte messages of a stream differ, so a repeated or reordered one shows.
        Set<ByteBuffer> messages = new HashSet<>();
        int position = Payload.salt(3);
        for (int k = 0; k < Payload.PERIOD / 64; k++) {
            messages.add(Payload.sliceAt(p.newView(), position, 64));
            position = Payload.advance(position, 64);
        }
        assertEquals(Payload.PERIOD / 64, messages.size());
    }

    @Test
    void shouldGiveEachConnectionItsOwnStream() {
        Set<Integer> firsts = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            firsts.add(Payload.salt(i));
        }
        assertEquals(1000, firsts.size());
    }

    @Test
    void shouldSliceARunOfMessagesAsTheMessagesOneByOne() {
        Payload p = new Payload(64, 42);
        int start = Payload.PERIOD - 100; // the run crosses the period's end
        ByteBuffer run = Payload.sliceAt(p.newView(), start, 16 * 64);
        int position = start;
        for (int k = 0; k < 16; k++) {
            ByteBuffer one = Payload.sliceAt(p.newView(), position, 64);
            assertEquals(-1, run.duplicate().position(run.position() + k * 64).limit(run.position() + k * 64 + 64).mismatch(one),
                    "message " + k);
            position = Payload.advance(position, 64);
        }
        assertNotEquals(-1, Payload.sliceAt(p.newView(), start, 64).mismatch(Payload.sliceAt(p.newView(), start + 64, 64)));
    }

    @Test
    void shouldCoverAtLeastOneMessageOr64KiBFromAnyPosition() {
        Payload small = new Payload(64, 42);
        Payload huge = new Payload(1 << 20, 42);
        for (int position : new int[] {0, 1, Payload.PERIOD / 2, Payload.PERIOD - 1}) {
            assertTrue(small.contiguousFrom(position) >= 64 * 1024, "at " + position);
            assertTrue(huge.contiguousFrom(position) >= 1 << 20, "at " + position);
        }
        ByteBuffer last = Payload.sliceAt(huge.newView(), Payload.PERIOD - 1, 1 << 20);
        assertEquals(1 << 20, last.remaining());
    }

    @Test
    void shouldAdvanceWithinThePeriod() {
        assertEquals(5, Payload.advance(Payload.PERIOD - 5, 10));
        assertEquals(7, Payload.advance(7, 3L * Payload.PERIOD));
        assertEquals(Payload.advance(0, (1 << 20) % Payload.PERIOD), Payload.advance(0, 1 << 20));
    }
}
