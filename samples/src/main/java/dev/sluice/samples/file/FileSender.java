package dev.sluice.samples.file;

import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Sends files to a {@link FileReceiver} ({@link TransferProtocol}), one connection per file, any
 * number at once on one loop.
 *
 * <p><b>Zero-copy.</b> The body goes out with {@link dev.sluice.Connection#writeFile}, which the engine
 * writes with {@code FileChannel.transferTo} ({@code sendfile(2)} on Linux): file bytes go from the page
 * cache to the socket without a trip through the Java heap. It is queued in pieces under backpressure:
 * a piece while the connection is writable, the next ones when it becomes writable again, so a slow
 * receiver makes the sender wait, never buffer. Because the sender never sees the bytes it sends, the
 * CRC32C trailer is computed by reading the file on a worker thread while the body is being sent.
 *
 * <p>A transfer succeeds only when the receiver answers {@code OK}; any other end (an {@code ERR}
 * reply, a reset, a close before the reply, a timeout) is a failure, reported with the reason.
 *
 * <p>Thread: {@link #send} from any thread; transfers run on the loop thread, and results are handed to
 * the listener there (it must not block) and complete the returned futures.
 */
public final class FileSender implements AutoCloseable {
    private final EventLoop loop;
    final SenderConfig config;
    final Consumer<TransferResult> onResult;
    private final ConnectionConfig connectionConfig;
    private final ExecutorService hashers;
    /** Transfers under way. Loop thread only. */
    final List<SendSession> active = new ArrayList<>();

    /**
     * Thread: any.
     *
     * @param loop     the loop transfers run on; the sender does not close it
     * @param config   pacing and timeouts
     * @param onResult hears how each transfer ended, on the loop thread
     */
    public FileSender(EventLoop loop, SenderConfig config, Consumer<TransferResult> onResult) {
        this.loop = loop;
        this.config = config;
        this.onResult = onResult;
        this.connectionConfig = ConnectionConfig.defaults()
                .withWatermarks(config.highWatermarkBytes(), config.lowWatermarkBytes())
                // Pieces are queued only while writable: at most the watermark plus one piece (plus the
                // header and trailer) is ever pending. The cap sits above that as a safety net.
                .withMaxPendingOutputBytes((long) config.highWatermarkBytes() + 2L * config.pieceBytes())
                .withBudgets(config.pieceBytes(), 64 * 1024)
                .withWriteTimeoutNs(config.stallTimeoutNs())
                .withConnectTimeoutNs(config.connectTimeoutNs())
                // The only input is the receiver's one-line reply: read it even while the output is
                // backed up, so an early ERR stops the transfer at once.
                .withPauseReadWhenUnwritable(false);
        this.hashers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "file-sender-crc");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts sending {@code file} to {@code target}. The file is opened and its size taken now; bytes
     * appended later are not sent.
     *
     * <p>Thread: any.
     *
     * @param file   a regular, readable file whose name the receiver will accept
     * @param target the receiver
     * @return completes, on the loop thread, with the result (success or failure, never exceptionally)
     * @throws IOException when the file cannot be opened
     * @throws IllegalArgumentException when its name is one a receiver refuses
     */
    public CompletableFuture<TransferResult> send(Path file, InetSocketAddress target) throws IOException {
        String name = String.valueOf(file.getFileName());
        String problem = SafeNames.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("cannot send '" + name + "': " + problem);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long size;
        try {
            size = channel.size();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        CompletableFuture<TransferResult> result = new CompletableFuture<>();
        SendSession session = new SendSession(this, name, channel, size, result);
        try {
            loop.execute(() -> {
                active.add(session);
                loop.connect(target, connectionConfig, session);
            });
        } catch (IllegalStateException ended) {
            channel.close();
            throw ended;
        }
        CompletableFuture.supplyAsync(() -> crc32c(file, size), hashers).whenComplete((crc, error) -> {
            try {
                loop.execute(() -> session.crcDone(crc, error));
            } catch (IllegalStateException ended) {
                // The loop has ended, and the transfer with it.
            }
        });
        return result;
    }

    /** Loop thread: what the progress bar shows. */
    List<? extends TransferProgress> active() {
        return active;
    }

    /** Reads exactly {@code size} bytes of the file into a CRC32C; the file shrinking fails it. */
    private static int crc32c(Path file, long size) {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1024 * 1024);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            while (position < size) {
                buf.clear().limit((int) Math.min(buf.capacity(), size - position));
                int n = ch.read(buf, position);
                if (n < 0) {
                    throw new EOFException(file + " shrank to " + position + " bytes while being sent");
                }
                buf.flip();
                crc.update(buf);
                position += n;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }

    /**
     * Stops the CRC workers. Transfers under way go on until their loop is closed.
     *
     * <p>Thread: any.
     */
    @Override
    public void close() {
        hashers.shutdownNow();
    }
}
