package dev.sluice.samples.file;

import dev.sluice.EventLoop;
import dev.sluice.testing.LoopFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileTransferTest {
    private static final long MIB = 1024 * 1024;

    /** Writes {@code size} random bytes (fixed seed) and returns their CRC32C. */
    static int writeRandomFile(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        CRC32C crc = new CRC32C();
        byte[] chunk = new byte[(int) MIB];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; ) {
                int n = (int) Math.min(chunk.length, size - written);
                random.nextBytes(chunk);
                crc.update(chunk, 0, n);
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                written += n;
            }
        }
        return (int) crc.getValue();
    }

    /** A receiver into {@code dir} on its own loop, its results queued. */
    private static final class Receiving {
        final BlockingQueue<TransferResult> results = new LinkedBlockingQueue<>();
        final FileReceiver receiver;

        Receiving(LoopFixture f, ReceiverConfig config) throws IOException {
            receiver = FileReceiver.start(f.startLoop(), config.withBindAddress(LoopFixture.ANY_LOOPBACK), results::add);
        }

        TransferResult next() throws InterruptedException {
            TransferResult r = results.poll(30, TimeUnit.SECONDS);
            assertNotNull(r, "no result from the receiver");
            return r;
        }
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void shouldTransferTwoHundredMegabytesByteExactWithZeroCopy(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src")).resolve("big.bin");
        Path dir = Files.createDirectory(tmp.resolve("in"));
        long size = 200 * MIB;
        int crc = writeRandomFile(src, size, 42);
        try (LoopFixture f = new LoopFixture("file-200m")) {
            Receiving in = new Receiving(f, ReceiverConfig.into(dir));
            EventLoop sendLoop = f.startLoop();
            try (FileSender sender = new FileSender(sendLoop, SenderConfig.defaults(), r -> { })) {
                long t0 = System.nanoTime();
                TransferResult sent = sender.send(src, in.receiver.address()).get(30, TimeUnit.SECONDS);
                TransferResult received = in.next();
                long ms = (System.nanoTime() - t0) / 1_000_000;

                assertTrue(sent.ok(), sent.describe());
                assertTrue(received.ok(), received.describe());
                assertEquals(size, received.size());
                assertEquals(crc, received.crc32c(), "the receiver verified the same CRC32C");
                assertEquals(crc, sent.crc32c());
                Path out = dir.resolve("big.bin");
                assertEquals(size, Files.size(out));
                assertEquals(-1, Files.mismatch(src, out), "byte-for-byte identical");
                assertEquals(List.of(out), listing(dir), "no temporary file left");
                assertEquals(size, in.receiver.bytesReceived());
                assertTrue(sendLoop.stats().bytesWritten() >= size);
                System.out.println("200 MiB transferred and verified in " + ms + " ms; " + received.describe());
            }
        }
    }

    @Test
    void shouldSendSeveralFilesAtOnceOverOneLoop(@TempDir Path tmp) throws Exception {
        Path srcDir = Files.createDirectory(tmp.resolve("src"));
        Path dir = Files.createDirectory(tmp.resolve("in"));
        long[] sizes = {0, 1, 3 * MIB + 17, 8 * MIB};
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            Path p = srcDir.resolve("f" + i + ".bin");
            writeRandomFile(p, sizes[i], i);
            files.add(p);
        }
        try (LoopFixture f = new LoopFixture("file-many")) {
            Receiving in = new Receiving(f, ReceiverConfig.into(dir));
            try (FileSender sender = new FileSender(f.startLoop(), SenderConfig.defaults(), r -> { })) {
                List<CompletableFuture<TransferResult>> sent = new ArrayList<>();
                for (Path p : files) {
                    sent.add(sender.send(p, in.receiver.address()));
                }
                for (CompletableFuture<TransferResult> r : sent) {
                    assertTrue(r.get(30, TimeUnit.SECONDS).ok(), r.get().describe());
                }
            }
            for (int i = 0; i < files.size(); i++) {
                assertTrue(in.next().ok());
            }
            // Permissions as for any file this process creates (umask), not a temp file's private 0600.
            Path reference = Files.createFile(tmp.resolve("reference"));
            for (Path p : files) {
                Path received = dir.resolve(p.getFileName());
                assertEquals(-1, Files.mismatch(p, received), p.toString());
                assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(received));
            }
            assertEquals(files.size(), listing(dir).size());
            assertEquals(files.size(), in.receiver.completedCount());
        }
    }

    @Test
    void shouldStillConfirmAFileThatArrivedWhenTheReceiverClosesRightAfterIt(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("quick.bin");
        writeRandomFile(src, 64 * 1024, 6);
        try (LoopFixture f = new LoopFixture("file-close-after")) {
            EventLoop sendLoop = f.startLoop();
            try (FileSender sender = new FileSender(sendLoop, SenderConfig.defaults(), r -> { })) {
                for (int i = 0; i < 10; i++) {
                    Path dir = Files.createDirectory(tmp.resolve("in" + i));
                    Receiving in = new Receiving(f, ReceiverConfig.into(dir));
                    CompletableFuture<TransferResult> sent = sender.send(src, in.receiver.address());
                    assertTrue(in.next().ok());
                    in.receiver.close(); // at once, while the OK may still be waiting to be flushed

                    TransferResult r = sent.get(30, TimeUnit.SECONDS);
                    assertTrue(r.ok(), "round " + i + ": the file arrived, so the sender must hear so: " + r.describe());
                }
            }
        }
    }

    /** A raw sender: the header and the first {@code bodyBytes} of a body of {@code size} bytes. */
    private static SocketChannel startRawTransfer(LoopFixture f, InetSocketAddress to, String name, long size,
                                                  long bodyBytes) throws IOException {
        SocketChannel ch = f.connect(to);
        write(ch, TransferProtocol.encodeHeader(name, size));
        byte[] chunk = new byte[64 * 1024];
        new Random(7).nextBytes(chunk);
        for (long sent = 0; sent < bodyBytes; ) {
            int n = (int) Math.min(chunk.length, bodyBytes - sent);
            write(ch, ByteBuffer.wrap(chunk, 0, n));
            sent += n;
        }
        return ch;
    }

    private static void write(SocketChannel ch, ByteBuffer b) {
        try {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The receiver's reply line, or what arrived before the end of the stream. */
    private static String reply(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2048);
        try {
            while (ch.read(b) >= 0 && (b.position() == 0 || b.get(b.position() - 1) != '\n')) {
                // keep reading
            }
        } catch (IOException reset) {
            // What arrived before a reset is still the answer.
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldReportATransferCutShortAsFailedAndLeaveNoFile(@TempDir Path dir) throws Exception {
        try (LoopFixture f = new LoopFixture("file-short")) {
            Receiving in = new Receiving(f, ReceiverConfig.into(dir));
            SocketChannel ch = startRawTransfer(f, in.receiver.address(), "cut.bin", 8 * MIB, MIB);
            ch.shutdownOutput(); // the sender gives up half way: FIN

            TransferResult r = in.next();
            assertFalse(r.ok());
            assertEquals("the sender closed the connection after 1048576 of 8388608 bytes", r.message());
            assertEquals("ERR the sender closed the connection after 1048576 of 8388608 bytes\n", reply(ch));
            assertEquals(List.of(), listing(dir), "neither the file nor its temporary file is left");
            assertEquals(1, in.receiver.failedCount());
            assertEquals(0, in.receiver.completedCount());
        }
    }

    @Test
    void shouldReportAResetTransferAsFailedAndLeaveNoFile(@TempDir Path dir) throws Exception {
        try (LoopFixture f = new LoopFixture("file-reset")) {
            Receiving in = new Receiving(f, ReceiverConfig.into(dir));
            SocketChannel ch = startRawTransfer(f, in.receiver.address(), "reset.bin", 8 * MIB, 2 * MIB);
            LoopFixture.await(() -> in.receiver.bytesReceived() > 0, "the receiver to start writing");
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            ch.close(); // the sender dies: RST

            TransferResult r = in.next();
            assertFalse(r.ok());
            assertTrue(r.message().startsWith("connection peer reset after "), r.message());
            assertTrue(r.message().endsWith(" of 8388608 bytes"), r.message());
            assertEquals(List.of(), listing(dir));
        }
    }

    @Test
    void shouldRejectABodyWhoseCrcDoesNotMatch(@TempDir Path dir) throws Exception {
        try (LoopFixture f = new LoopFixture("file-crc")) {
            Receiving in = new Receiving(f, ReceiverConfig.into(dir));
            SocketChannel ch = startRawTransfer(f, in.receiver.address(), "corrupt.bin", MIB, MIB);
            write(ch, TransferProtocol.encodeTrailer(0x12345678));

            String reply = reply(ch);
            assertTrue(reply.startsWith("ERR CRC32C mismatch: the bytes received have "), reply);
            assertTrue(reply.endsWith(", the sender says 12345678\n"), reply);
            assertFalse(in.next().ok());
            assertEquals(List.of(), listing(dir));
        }
    }

    @Test
    void shouldRefusePathTraversalAndWriteNothingAnywhere(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("in"));
        String[] names = {"../escaped.txt", "..", "sub/x.txt", "/tmp/abs.txt", "..\\win.txt", "nul\u0000.txt"};
        try (LoopFixture f = new LoopFixture("file-names")) {
            Receiving in = new Receiving(f, ReceiverConfig.into(dir));
            for (String name : names) {
                SocketChannel ch = startRawTransfer(f, in.receiver.address(), name, 10, 0);
                String reply = reply(ch);
                assertTrue(reply.startsWith("ERR refused name: "), name + " -> " + reply);
                TransferResult r = in.next();
                assertFalse(r.ok());
                ch.close();
            }
            assertEquals(List.of(), listing(dir));
            assertEquals(List.of(dir), listing(tmp), "nothing written next to the directory either");
            assertEquals(names.length, in.receiver.failedCount());
        }
    }

    @Test
    void shouldNotOverwriteWithoutForceAndReplaceWithIt(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src")).resolve("a.txt");
        Files.writeString(src, "new content");
        Path dir = Files.createDirectory(tmp.resolve("in"));
        Path existing = Files.writeString(dir.resolve("a.txt"), "old content");
        try (LoopFixture f = new LoopFixture("file-force")) {
            Receiving keep = new Receiving(f, ReceiverConfig.into(dir));
            Receiving force = new Receiving(f, ReceiverConfig.into(dir).withOverwrite(true));
            try (FileSender sender = new FileSender(f.startLoop(), SenderConfig.defaults(), r -> { })) {
                TransferResult refused = sender.send(src, keep.receiver.address()).get(30, TimeUnit.SECONDS);
                assertFalse(refused.ok());
                assertEquals("the receiver refused: a.txt exists (the receiver needs --force to overwrite)",
                        refused.message());
                assertEquals("old content", Files.readString(existing));
                assertFalse(keep.next().ok());

                TransferResult replaced = sender.send(src, force.receiver.address()).get(30, TimeUnit.SECONDS);
                assertTrue(replaced.ok(), replaced.describe());
                assertEquals("new content", Files.readString(existing));
                assertTrue(force.next().ok());
            }
            assertEquals(List.of(existing), listing(dir));
        }
    }

    /** A fake receiver: accepts one connection, reads {@code readBytes}, then answers and/or closes. */
    private static CompletableFuture<Void> fakeReceiver(ServerSocketChannel server, long readBytes, String answer,
                                                        boolean reset) {
        return CompletableFuture.runAsync(() -> {
            try (SocketChannel ch = server.accept()) {
                ByteBuffer b = ByteBuffer.allocate(64 * 1024);
                for (long read = 0; read < readBytes; ) {
                    b.clear().limit((int) Math.min(b.capacity(), readBytes - read));
                    int n = ch.read(b);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                if (answer != null) {
                    write(ch, ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                }
                if (reset) {
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void shouldReportFailureNotSuccessWhenTheReceiverDiesMidTransfer(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("big.bin");
        writeRandomFile(src, 64 * MIB, 3);
        try (LoopFixture f = new LoopFixture("file-vanish");
             ServerSocketChannel server = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            CompletableFuture<Void> fake = fakeReceiver(server, 4 * MIB, null, true);
            try (FileSender sender = new FileSender(f.startLoop(), SenderConfig.defaults(), r -> { })) {
                TransferResult r = sender.send(src, (InetSocketAddress) server.getLocalAddress()).get(30, TimeUnit.SECONDS);
                assertFalse(r.ok(), "a transfer the receiver never confirmed is not a success");
                assertTrue(r.message().contains("before the receiver confirmed"), r.message());
                assertTrue(r.bytes() < 64 * MIB, r.describe());
            }
            fake.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldReportFailureWhenTheReceiverTakesEverythingButNeverConfirms(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("small.bin");
        writeRandomFile(src, MIB, 4);
        long wholeTransfer = TransferProtocol.encodeHeader("small.bin", MIB).remaining() + MIB + 4;
        try (LoopFixture f = new LoopFixture("file-silent");
             ServerSocketChannel server = ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK)) {
            CompletableFuture<Void> silent = fakeReceiver(server, wholeTransfer, null, false);
            try (FileSender sender = new FileSender(f.startLoop(), SenderConfig.defaults(), r -> { })) {
                TransferResult r = sender.send(src, (InetSocketAddress) server.getLocalAddress()).get(30, TimeUnit.SECONDS);
                assertFalse(r.ok());
                assertTrue(r.message().contains("before the receiver confirmed"), r.message());
                silent.get(10, TimeUnit.SECONDS);

                CompletableFuture<Void> refusing = fakeReceiver(server, wholeTransfer, "ERR disk on fire\n", false);
                TransferResult e = sender.send(src, (InetSocketAddress) server.getLocalAddress()).get(30, TimeUnit.SECONDS);
                assertEquals("the receiver refused: disk on fire", e.message());
                refusing.get(10, TimeUnit.SECONDS);

                CompletableFuture<Void> lying = fakeReceiver(server, wholeTransfer, "OK 1048576 00000000\n", false);
                TransferResult l = sender.send(src, (InetSocketAddress) server.getLocalAddress()).get(30, TimeUnit.SECONDS);
                assertFalse(l.ok(), "an OK for another CRC is not a confirmation");
                assertEquals("unexpected reply from the receiver: OK 1048576 00000000", l.message());
                lying.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldFailAnIdleTransferAndCleanUp(@TempDir Path dir) throws Exception {
        try (LoopFixture f = new LoopFixture("file-idle")) {
            Receiving in = new Receiving(f, ReceiverConfig.into(dir).withIdleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200)));
            SocketChannel ch = startRawTransfer(f, in.receiver.address(), "slow.bin", MIB, 1000);
            TransferResult r = in.next(); // the sender stalls after 1000 bytes
            assertFalse(r.ok());
            assertTrue(r.message().startsWith("nothing received for 0.2 s"), r.message());
            assertEquals(List.of(), listing(dir));
            assertEquals("ERR nothing received for 0.2 s\n", reply(ch));
        }
    }
}
