package dev.sluice.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundBufferTest {

    /** A channel that accepts at most {@code room} bytes per write, like a socket with a small buffer. */
    static final class ThrottledChannel implements GatheringByteChannel {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int room;

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += write(srcs[i]);
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(room, src.remaining());
            for (int i = 0; i < n; i++) {
                received.write(src.get());
            }
            room -= n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldKeepOrderAcrossPartialWritesAndReturnPooledChunks() throws Exception {
        BufferPool pool = new BufferPool(16, 8);
        OutboundBuffer out = new OutboundBuffer();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 50; i++) {
            byte[] b = ("msg" + i + ";").getBytes();
            expected.write(b);
            if (i % 2 == 0) {
                out.copyIn(ByteBuffer.wrap(b), pool);
            } else {
                out.add(ByteBuffer.wrap(b));
            }
        }
        assertEquals(expected.size(), out.pendingBytes());
        ThrottledChannel ch = new ThrottledChannel();
        while (!out.isEmpty()) {
            ch.room = 7;
            long before = out.pendingBytes();
            long n = out.writeTo(ch, pool);
            assertEquals(Math.min(7, before), n);
            assertEquals(before - n, out.pendingBytes());
            assertEquals(before > 7, out.lastWriteWasPartial());
        }
        assertArrayEquals(expected.toByteArray(), ch.received.toByteArray());
        assertEquals(0, out.pendingBytes());
        assertTrue(pool.pooled() > 0, "chunks went back to the pool");
    }

    @Test
    void shouldFillTheLastPooledChunkBeforeTakingAnother() {
        BufferPool pool = new BufferPool(16, 8);
        OutboundBuffer out = new OutboundBuffer();
        for (int i = 0; i < 4; i++) {
            out.copyIn(ByteBuffer.wrap(new byte[4]), pool);
        }
        out.copyIn(ByteBuffer.wrap(new byte[4]), pool);
        assertEquals(20, out.pendingBytes());
        assertEquals(0, pool.pooled());
        long dropped = out.clear(pool);
        assertEquals(20, dropped);
        assertEquals(2, pool.pooled(), "exactly two 16-byte chunks held 20 bytes");
        assertTrue(out.isEmpty());
    }
}
