package dev.sluice.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferPoolTest {

    @Test
    void shouldMakeAtMostMaxPooledDirectChunksAndReuseThemBeforeFallingBackToHeap() {
        BufferPool pool = new BufferPool(16, 2);
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        ByteBuffer c = pool.acquire();
        assertTrue(a.isDirect() && b.isDirect(), "the first two are direct");
        assertFalse(c.isDirect(), "past the limit: heap, so no direct memory waits on the GC");

        pool.release(c);
        assertEquals(0, pool.pooled(), "heap chunks are dropped");
        a.put((byte) 1);
        pool.release(a);
        assertEquals(1, pool.pooled());
        ByteBuffer again = pool.acquire();
        assertSame(a, again, "direct chunks are reused");
        assertEquals(0, again.position(), "and come back cleared");
        pool.release(ByteBuffer.allocateDirect(32));
        assertEquals(0, pool.pooled(), "foreign sizes are not kept");
    }
}
