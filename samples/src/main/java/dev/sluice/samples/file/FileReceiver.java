package dev.sluice.samples.file;

import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Receives files sent with {@link FileSender} ({@link TransferProtocol}), any number at once, one per
 * connection, into one directory.
 *
 * <p>Each transfer is written to a temporary file ({@code .sluice-*.part}) in the target directory while
 * its CRC32C is computed, and renamed to its name only when the size and the CRC both match; on any
 * failure (short transfer, reset, mismatch, timeout) the temporary file is deleted and the sender is
 * told {@code ERR}. A file only ever appears whole. Names are checked by {@link SafeNames}; an existing
 * file is replaced only with {@link ReceiverConfig#overwrite()}, and two transfers of the same name at
 * once are refused.
 *
 * <p>Known limits: the body is written with ordinary buffered {@code FileChannel.write} calls on the
 * loop thread, so a slow disk slows every transfer on the loop (writes go to the page cache and are
 * normally quick); the file is not {@code fsync}ed before the rename. Without {@code --force} the
 * "does it exist" check and the rename are two steps: another process creating the same name in
 * between is caught by the rename, which then fails rather than overwrite.
 *
 * <p>Thread: {@link #start} and the accessors from any thread; transfers run on the loop thread, and
 * results are handed to the listener there (it must not block).
 */
public final class FileReceiver implements AutoCloseable {
    private final EventLoop loop;
    private final boolean ownsLoop;
    private final Listener listener;
    final ReceiverConfig config;
    final Path directory;
    final Consumer<TransferResult> onResult;
    /** Transfers under way. Loop thread only. */
    final List<ReceiveSession> active = new ArrayList<>();
    /** Names being received now. Loop thread only. */
    final Set<String> namesInProgress = new HashSet<>();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();
    private volatile boolean closed;

    private FileReceiver(EventLoop loop, boolean ownsLoop, ReceiverConfig config, Consumer<TransferResult> onResult)
            throws IOException {
        Path dir = config.directory().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IOException(config.directory() + " is not a writable directory");
        }
        this.loop = loop;
        this.ownsLoop = ownsLoop;
        this.config = config;
        this.directory = dir;
        this.onResult = onResult;
        ConnectionConfig cc = ConnectionConfig.defaults().withReadIdleTimeoutNs(config.idleTimeoutNs());
        this.listener = loop.listen(config.bindAddress(), ListenerConfig.defaults().withConnectionConfig(cc),
                () -> new ReceiveSession(this));
    }

    /**
     * Starts a receiver on its own loop thread.
     *
     * <p>Thread: any.
     *
     * @param config   the configuration
     * @param onResult hears how each transfer ended, on the loop thread
     * @return the running receiver
     * @throws IOException when the directory is not writable or the address cannot be bound
     */
    public static FileReceiver start(ReceiverConfig config, Consumer<TransferResult> onResult) throws IOException {
        EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("file-recv"));
        try {
            return new FileReceiver(loop, true, config, onResult);
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    /**
     * Starts a receiver on an existing loop, which it does not close.
     *
     * <p>Thread: any.
     *
     * @param loop     the loop
     * @param config   the configuration
     * @param onResult hears how each transfer ended, on the loop thread
     * @return the running receiver
     * @throws IOException when the directory is not writable or the address cannot be bound
     */
    public static FileReceiver start(EventLoop loop, ReceiverConfig config, Consumer<TransferResult> onResult)
            throws IOException {
        return new FileReceiver(loop, false, config, onResult);
    }

    /**
     * Thread: any.
     *
     * @return the bound address with the real port
     */
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    /**
     * Thread: any.
     *
     * @return the loop transfers run on
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Thread: any.
     *
     * @return transfers that arrived whole and verified
     */
    public long completedCount() {
        return completed.get();
    }

    /**
     * Thread: any.
     *
     * @return transfers that failed
     */
    public long failedCount() {
        return failed.get();
    }

    /**
     * Thread: any.
     *
     * @return body bytes written, over all transfers (failed ones included)
     */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** Loop thread: what the progress bar shows. */
    List<? extends TransferProgress> active() {
        return active;
    }

    /**
     * Stops accepting and aborts transfers under way (they fail, and their temporary files are
     * deleted); finished ones still get their reply flushed. With its own loop, waits (about a second
     * at most) for the loop to end.
     *
     * <p>Thread: any but the loop's. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close();
        try {
            loop.execute(() -> new ArrayList<>(active).forEach(s -> s.abort("the receiver is shutting down")));
        } catch (IllegalStateException ended) {
            // The loop has ended; its connections closed with it.
        }
        if (ownsLoop) {
            loop.shutdownGracefully(TimeUnit.SECONDS.toNanos(1));
            if (!loop.awaitTermination(TimeUnit.SECONDS.toNanos(3))) {
                loop.close();
            }
        }
    }
}
