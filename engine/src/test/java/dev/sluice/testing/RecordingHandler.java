package dev.sluice.testing;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An echo handler (copying, allocation-free) that records what happened to its connection so tests can
 * wait for and assert on it. Override methods to change behaviour.
 *
 * <p>Thread: callbacks on the loop thread; the recorded fields are safe to read from any thread.
 */
public class RecordingHandler implements ConnectionHandler {
    public final CountDownLatch opened = new CountDownLatch(1);
    public final CountDownLatch closed = new CountDownLatch(1);
    public final List<Boolean> writability = new CopyOnWriteArrayList<>();
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final AtomicLong bytesIn = new AtomicLong();
    public volatile Connection connection;
    public volatile CloseReason closeReason;
    public volatile Throwable closeCause;

    @Override
    public void onOpen(Connection c) {
        connection = c;
        events.add("open");
        opened.countDown();
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        bytesIn.addAndGet(data.remaining());
        c.writeCopy(data);
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        writability.add(writable);
        events.add(writable ? "writable" : "unwritable");
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        if (connection == null) {
            connection = c;
        }
        closeReason = reason;
        closeCause = cause;
        events.add("close:" + reason);
        closed.countDown();
    }
}
