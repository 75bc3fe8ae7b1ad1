package dev.sluice.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundBufferTest {

    /** A channel that accepts at most {@code room} bytes per write, like a socket with a small buffer. */
    static final class ThrottledChannel implements WriteTarget {
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

    @Test
    void shouldInterleaveFileRegionsWithBuffersInOrderAcrossPartialWrites(@TempDir Path dir) throws Exception {
        byte[] content = new byte[10_000];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("f"), content);
        BufferPool pool = new BufferPool(16, 8);
        OutboundBuffer out = new OutboundBuffer();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 0; i < 20; i++) {
                byte[] b = ("hdr" + i + ";").getBytes();
                expected.write(b);
                out.add(ByteBuffer.wrap(b));
                int from = i * 500;
                out.addFile(fc, from, 500);
                expected.write(content, from, 500);
                if (i % 3 == 0) {
                    out.addFile(fc, 0, 1); // two regions in a row
                    expected.write(content, 0, 1);
                }
                out.copyIn(ByteBuffer.wrap(b), pool);
                expected.write(b);
            }
            assertEquals(expected.size(), out.pendingBytes());
            ThrottledChannel ch = new ThrottledChannel();
            int partials = 0;
            while (!out.isEmpty()) {
                ch.room = 333;
                long before = out.pendingBytes();
                long n = out.writeTo(ch, pool);
                assertEquals(before - n, out.pendingBytes());
                partials += out.lastWriteWasPartial() ? 1 : 0;
            }
            assertArrayEquals(expected.toByteArray(), ch.received.toByteArray());
            assertTrue(partials > 0, "regions and gathers were cut by the throttled channel");
            assertEquals(0, fc.position(), "the file's own position is left alone");
            assertTrue(fc.isOpen(), "the file belongs to the caller");
        }
    }

    @Test
    void shouldFailWithEofWhenTheFileIsShorterThanItsRegion(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("short"), new byte[100]);
        BufferPool pool = new BufferPool(16, 8);
        OutboundBuffer out = new OutboundBuffer();
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            out.addFile(fc, 0, 1000);
            ThrottledChannel ch = new ThrottledChannel();
            ch.room = 1 << 20; // plenty: a short transfer can only mean end of file
            EOFException e = assertThrows(EOFException.class, () -> out.writeTo(ch, pool));
            assertTrue(e.getMessage().contains("900 queued bytes short"), e.getMessage());
            assertEquals(1000, out.clear(pool), "the unsent region is still accounted, then dropped");
            assertTrue(fc.isOpen());
        }
    }
}
