package dev.sluice.testing;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

/**
 * A client that streams a payload to an echo server as fast as writability allows, checks every byte
 * that comes back against it, and closes once all of it has returned.
 *
 * <p>Thread: callbacks on the loop thread; the recorded fields are safe to read from any thread.
 */
public final class StreamingClient implements ConnectionHandler {
    private static final int PIECE = 16 * 1024;

    public final CountDownLatch opened = new CountDownLatch(1);
    public final CountDownLatch closed = new CountDownLatch(1);
    private final byte[] payload;
    private final boolean startOnOpen;
    private volatile Connection connection;
    private boolean started;
    private int sent;
    private volatile long received;
    public volatile long firstMismatchAt = -1;
    public volatile CloseReason closeReason;
    public volatile Throwable closeCause;

    public StreamingClient(byte[] payload) {
        this(payload, true);
    }

    /** @param startOnOpen stream from onOpen on; if not, from {@link #start()} */
    public StreamingClient(byte[] payload, boolean startOnOpen) {
        this.payload = payload;
        this.startOnOpen = startOnOpen;
    }

    /** Starts streaming; any thread, once open. */
    public void start() {
        Connection c = connection;
        c.loop().execute(() -> {
            started = true;
            pump(c);
        });
    }

    public long received() {
        return received;
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        opened.countDown();
        if (startOnOpen) {
            started = true;
            pump(c);
        }
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        if (writable && started) {
            pump(c);
        }
    }

    private void pump(Connection c) {
        while (c.isWritable() && sent < payload.length) {
            int n = Math.min(PIECE, payload.length - sent);
            c.write(ByteBuffer.wrap(payload, sent, n));
            sent += n;
        }
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        long at = received;
        while (data.hasRemaining()) {
            byte b = data.get();
            if (firstMismatchAt < 0 && (at >= payload.length || b != payload[(int) at])) {
                firstMismatchAt = at;
            }
            at++;
        }
        received = at;
        if (at >= payload.length) {
            c.close();
        }
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        closeReason = reason;
        closeCause = cause;
        closed.countDown();
    }
}
