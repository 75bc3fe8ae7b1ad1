package dev.sluice;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriteFileTest {
    private static final int FILE_BYTES = 4 * 1024 * 1024;
    private static final int PIECE = 256 * 1024;
    private static final int HIGH = 512 * 1024;
    private static final int LOW = 128 * 1024;

    /** Sends "HDR", the file in pieces while writable, then "TRL", then closes. */
    static final class FileServer extends RecordingHandler {
        final FileChannel file;
        final long size;
        long queued;
        volatile long maxPendingSeen;

        FileServer(FileChannel file, long size) {
            this.file = file;
            this.size = size;
        }

        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            c.write(Bytes.ascii("HDR"));
            pump(c);
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean writable) {
            super.onWritabilityChanged(c, writable);
            pump(c);
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            data.position(data.limit());
        }

        private void pump(Connection c) {
            while (c.isWritable() && queued < size) {
                long n = Math.min(PIECE, size - queued);
                c.writeFile(file, queued, n);
                queued += n;
                maxPendingSeen = Math.max(maxPendingSeen, c.pendingOutputBytes());
            }
            if (queued == size) {
                queued++; // once
                c.write(Bytes.ascii("TRL"));
                c.close();
            }
        }
    }

    @Test
    void shouldSendFilePiecesBetweenBuffersByteExactUnderBackpressure(@TempDir Path dir) throws Exception {
        byte[] content = Bytes.random(11, FILE_BYTES);
        Path path = Files.write(dir.resolve("data"), content);
        try (LoopFixture f = new LoopFixture("wfile");
             FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            EventLoop loop = f.startLoop();
            FileServer server = new FileServer(file, FILE_BYTES);
            ConnectionConfig cc = ConnectionConfig.defaults().withWatermarks(HIGH, LOW)
                    .withSocketBuffers(32 * 1024, 32 * 1024);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc),
                    () -> server);
            SocketChannel client = f.track(SocketChannel.open());
            client.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
            client.connect(l.localAddress());

            byte[] got = Bytes.readToEof(client, FILE_BYTES + 6);
            client.shutdownOutput(); // ends the server's lingering close at once

            assertEquals(FILE_BYTES + 6, got.length);
            assertEquals("HDR", new String(got, 0, 3, "US-ASCII"));
            assertArrayEquals(content, Arrays.copyOfRange(got, 3, 3 + FILE_BYTES), "file bytes differ");
            assertEquals("TRL", new String(got, 3 + FILE_BYTES, 3, "US-ASCII"));
            assertTrue(server.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.LOCAL, server.closeReason);
            LoopStats s = loop.stats();
            assertTrue(s.partialWrites() > 0, "the small socket buffer cut transfers short: " + s);
            assertTrue(s.becameUnwritable() > 0 && s.becameWritable() > 0, "file bytes drove writability: " + s);
            assertTrue(server.maxPendingSeen <= HIGH + PIECE, "pending bounded by the watermark: " + server.maxPendingSeen);
            assertEquals(FILE_BYTES + 6, s.bytesWritten());
            assertTrue(file.isOpen(), "the engine leaves the file to its owner");
            assertEquals(0, file.position(), "and leaves its position alone");
        }
    }

    @Test
    void shouldKeepOrderWithWritesFromAnotherThread(@TempDir Path dir) throws Exception {
        byte[] content = Bytes.random(12, 300_000);
        Path path = Files.write(dir.resolve("data"), content);
        try (LoopFixture f = new LoopFixture("wfile-foreign");
             FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            EventLoop loop = f.startLoop();
            RecordingHandler server = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> server);
            SocketChannel client = f.connect(l.localAddress());
            assertTrue(server.opened.await(10, TimeUnit.SECONDS));

            Connection c = server.connection; // the test thread is foreign: every call hops onto the loop
            assertTrue(c.write(Bytes.ascii("<")));
            assertTrue(c.writeFile(file, 100_000, 200_000));
            assertTrue(c.writeFile(file, 0, 100_000));
            assertTrue(c.write(Bytes.ascii(">")));
            c.close();

            byte[] got = Bytes.readToEof(client, 300_002);
            client.shutdownOutput();
            byte[] expected = new byte[300_002];
            expected[0] = '<';
            System.arraycopy(content, 100_000, expected, 1, 200_000);
            System.arraycopy(content, 0, expected, 200_001, 100_000);
            expected[300_001] = '>';
            assertArrayEquals(expected, got);
            assertTrue(server.closed.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldCountFileBytesAgainstTheOutputCap(@TempDir Path dir) throws Exception {
        Path path = Files.write(dir.resolve("data"), new byte[1024]);
        try (LoopFixture f = new LoopFixture("wfile-cap");
             FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            EventLoop loop = f.startLoop();
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    events.add("queued:" + c.writeFile(file, 0, 512L * 1024 * 1024)); // far past the file, too
                }
            };
            ConnectionConfig cc = ConnectionConfig.defaults().withMaxPendingOutputBytes(1024 * 1024);
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc),
                    () -> server);
            f.connect(l.localAddress());

            assertTrue(server.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.OUTPUT_OVERFLOW, server.closeReason);
            assertTrue(server.events.contains("queued:false"), server.events.toString());
            assertEquals(0, loop.stats().bytesWritten(), "refused before any byte was sent");
        }
    }

    @Test
    void shouldCloseWithIoErrorWhenTheFileIsShorterThanTheRegion(@TempDir Path dir) throws Exception {
        byte[] content = Bytes.random(13, 100_000);
        Path path = Files.write(dir.resolve("short"), content);
        try (LoopFixture f = new LoopFixture("wfile-short");
             FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            EventLoop loop = f.startLoop();
            RecordingHandler server = new RecordingHandler() {
                @Override
                public void onOpen(Connection c) {
                    super.onOpen(c);
                    c.writeFile(file, 0, 200_000); // the file has only half of it
                }
            };
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults(), () -> server);
            SocketChannel client = f.connect(l.localAddress());

            assertTrue(server.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.IO_ERROR, server.closeReason);
            assertInstanceOf(EOFException.class, server.closeCause);
            // What the file had was sent before the region ran dry; the connection did not hang.
            ByteBuffer got = ByteBuffer.allocate(200_000);
            try {
                while (client.read(got) >= 0 && got.position() < 100_000) {
                    // keep reading
                }
            } catch (IOException reset) {
                // The close may arrive as RST after the bytes; what was read is still checked.
            }
            assertTrue(got.position() <= 100_000);
            got.flip();
            byte[] prefix = new byte[got.remaining()];
            got.get(prefix);
            assertArrayEquals(Arrays.copyOf(content, prefix.length), prefix);
            assertFalse(loop.stats().pendingOutputBytes() > 0);
        }
    }
}
