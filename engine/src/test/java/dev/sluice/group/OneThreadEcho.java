package dev.sluice.group;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Echoes, and records which thread ran each of its connection's callbacks: the first one's thread is
 * the owner, any other is a violation. Also checks the owner is the connection's own loop thread.
 *
 * <p>Thread: callbacks on the loop thread; the fields are read by the test thread afterwards.
 */
class OneThreadEcho implements ConnectionHandler {
    volatile Thread owner;
    volatile String violation;
    volatile boolean closed;
    volatile CloseReason closeReason;
    volatile int remotePort;
    final AtomicLong bytesIn = new AtomicLong();

    private void check(Connection c, String callback) {
        Thread now = Thread.currentThread();
        if (owner == null) {
            owner = now;
        } else if (owner != now && violation == null) {
            violation = callback + " ran on " + now.getName() + ", onOpen on " + owner.getName();
        }
        if (!c.loop().inEventLoop() && violation == null) {
            violation = callback + " ran on " + now.getName() + ", not on the connection's loop";
        }
    }

    @Override
    public void onOpen(Connection c) {
        check(c, "onOpen");
        if (c.remoteAddress() instanceof java.net.InetSocketAddress a) {
            remotePort = a.getPort();
        }
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        check(c, "onData");
        bytesIn.addAndGet(data.remaining());
        c.writeCopy(data);
    }

    @Override
    public void onInputClosed(Connection c) {
        check(c, "onInputClosed");
        c.close();
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        check(c, "onClose");
        closeReason = reason;
        closed = true;
    }
}
