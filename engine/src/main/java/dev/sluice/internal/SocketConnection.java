package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;

import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection, put together from its parts: the {@link Transport} its bytes pass through, the
 * {@link ReadSide}, the {@link WriteSide}, the {@link Deadlines} with their timer entry, and the
 * {@link Lifecycle} of states and close paths. It opens the connection, dispatches readiness, keeps the
 * key's interest set, and answers the {@link Connection} API by delegating to the part that owns it.
 *
 * <p>Thread: methods of {@link Connection} say which thread may call them; everything else is loop only.
 */
final class SocketConnection extends Deferrable implements Connection, Selectable {
    private final Loop loop;
    private final ConnectionConfig config;
    private final ConnectionSource listener;
    private final long id;
    final Lifecycle life;
    /** Called only through {@link HandlerCalls}, which gives every callback the same rule for what it throws. */
    final ConnectionHandler handler;
    final Deadlines deadlines;
    private final ReadSide reader;
    private final WriteSide writer;

    Transport transport;
    /** The TLS handshake, from the TCP connect to onOpen; {@code null} without TLS. */
    TlsHandshake handshake;
    /** The transport holds input the kernel will not report: read it in the next flush phase. */
    private boolean readAgain;
    SelectionKey key;
    volatile SocketAddress remote;
    private int interestOps = -1;
    boolean opened;

    boolean inFlushList;
    int registryIndex = -1;

    SocketConnection(Loop loop, ConnectionConfig config, ConnectionHandler handler, ConnectionSource listener) {
        this.loop = loop;
        this.config = config;
        this.listener = listener;
        this.id = loop.nextConnectionId();
        this.life = new Lifecycle(this, loop);
        this.handler = handler;
        this.deadlines = new Deadlines(this, config.readIdleTimeoutNs(), config.writeTimeoutNs());
        this.reader = new ReadSide(this);
        this.writer = new WriteSide(this);
    }

    // ---------------------------------------------------------------- opening: see Opening

    void startAccepted(SocketChannel ch, long nowNs) {
        Opening.accepted(this, ch, nowNs);
    }

    void startConnect(InetSocketAddress address, long nowNs) {
        Opening.connect(this, address, nowNs);
    }

    /** The TLS handshake completed. */
    void handshakeCompleted(long nowNs) {
        Opening.handshakeCompleted(this, nowNs);
    }

    /** @return whether a socket exists: a connect that never started has none to flush to */
    boolean connectStarted() {
        return key != null;
    }

    // ---------------------------------------------------------------- readiness and the loop's phases

    @Override
    public void onReady(int ready) {
        long nowNs = loop.nowNs();
        if (handshake != null && handshake.inProgress()) {
            handshake.onReady();
            return;
        }
        if ((ready & SelectionKey.OP_CONNECT) != 0 && life.is(Lifecycle.State.CONNECTING)) {
            Opening.finishConnect(this, nowNs);
        }
        // Write first: it frees memory and may re-enable reading.
        if ((ready & SelectionKey.OP_WRITE) != 0 && !life.is(Lifecycle.State.CLOSED)
                && !life.is(Lifecycle.State.CONNECTING)) {
            writer.onWritable(nowNs);
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !life.is(Lifecycle.State.CLOSED)) {
            if (life.is(Lifecycle.State.LINGERING)) {
                reader.drainLingering(transport, nowNs);
            } else if (readingEnabled()) {
                loop.replyingTo = this;
                try {
                    reader.onReadable(transport, nowNs);
                } finally {
                    loop.replyingTo = null;
                }
                writer.flushReplies(nowNs);
            }
        }
    }

    @Override
    public void onDispatchFailure(RuntimeException e) {
        life.closeNow(CloseReason.IO_ERROR, e);
    }

    @Override
    public Class<?> handlerClass() {
        return handler.getClass();
    }

    /** The flush phase of the loop iteration: what tasks, timers and callbacks queued. */
    void flush(long nowNs) {
        if (readAgain) {
            readAgain = false;
            if (readingEnabled()) {
                reader.onReadable(transport, nowNs);
            }
        }
        if (!life.is(Lifecycle.State.CLOSED) && !life.is(Lifecycle.State.CONNECTING)) {
            writer.flush(nowNs, config.writeBudgetBytes());
        }
    }

    /**
     * The transport holds input the kernel will not report readable (TLS records read but not yet
     * delivered): read it in the next flush phase, which also keeps the coming select from sleeping.
     */
    void readAgainLater() {
        readAgain = true;
        loop.addToFlush(this);
    }

    /** Queues a flush for this iteration's flush phase, unless the socket is full (OP_WRITE will come). */
    void flushLater() {
        if (!writer.socketFull()) {
            loop.addToFlush(this);
        }
    }

    @Override
    void deliverDeferred() {
        if (life.is(Lifecycle.State.CLOSED)) {
            if (life.takeCloseDelivery()) {
                HandlerCalls.onClose(this, life.closeReason(), life.closeCause());
            }
            return;
        }
        for (int i = 0; opened && i < 2; i++) { // at most false then true; later changes defer again
            Boolean writable = writer.takeWritabilityChange();
            if (writable == null) {
                break;
            }
            if (!HandlerCalls.onWritabilityChanged(this, writable) || life.is(Lifecycle.State.CLOSED)) {
                return;
            }
        }
        reader.deliverHeldIfDue();
    }

    boolean readingEnabled() {
        return life.is(Lifecycle.State.OPEN) && !life.inputClosed() && !reader.userPaused()
                && !(config.pauseReadWhenUnwritable() && !writer.writableFlag());
    }

    /** For the parts: the loop this connection lives on. */
    Loop eventLoop() {
        return loop;
    }

    /** For the parts: the listener that accepted it, {@code null} for a connection this side opened. */
    ConnectionSource listener() {
        return listener;
    }

    /** For the parts: the configuration it was opened with. */
    ConnectionConfig config() {
        return config;
    }

    /** @return whether it holds a write queue now; for the footprint test */
    boolean holdsWriteQueue() {
        return writer.holdsQueue();
    }

    /** For the parts: the transport. */
    Transport transport() {
        return transport;
    }

    /** @return nothing queued, and nothing the transport took is still held back (TLS ciphertext) */
    boolean outputEmpty() {
        return writer.isEmpty() && (transport == null || !transport.hasBufferedOutput());
    }

    void releaseInput() {
        reader.releaseUnlessDelivering();
    }

    void resetOnClose() {
        if (transport != null) {
            transport.resetOnClose();
        }
    }

    /** Lifecycle's close: timer, key, socket, buffers and registrations, all at once. */
    void releaseEverything() {
        deadlines.cancel();
        if (key != null) {
            key.cancel();
        }
        if (transport != null) {
            transport.close();
        }
        releaseInput(); // or ReadSide.deliver does, once the handler is done with it
        writer.clear();
        if (registryIndex >= 0 && listener != null) {
            listener.connectionClosed();
        }
        loop.registry.remove(this);
    }

    void updateInterest() {
        if (key == null || life.is(Lifecycle.State.CLOSED)) {
            return;
        }
        int ops;
        if (life.is(Lifecycle.State.CONNECTING)) {
            ops = handshake != null && handshake.inProgress() ? handshake.interestOps() : SelectionKey.OP_CONNECT;
        } else {
            ops = 0;
            boolean reading = readingEnabled() || (life.is(Lifecycle.State.LINGERING) && !life.inputClosed());
            if (reading) {
                if ((interestOps & SelectionKey.OP_READ) == 0 && life.is(Lifecycle.State.OPEN)) {
                    deadlines.lastReadNs = loop.nowNs(); // idle time does not run while reading is paused
                    // Input held from before the pause may already hold whole requests; the kernel
                    // will not report it readable, so hand it back (later, never inside this call).
                    reader.redeliverLater();
                    if (transport.hasBufferedInput()) {
                        readAgainLater();
                    }
                }
                ops |= SelectionKey.OP_READ;
            }
            if ((writer.socketFull() && !writer.isEmpty()) || transport.hasBufferedOutput()) {
                ops |= SelectionKey.OP_WRITE;
            }
        }
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    void armTimer() {
        Lifecycle.State s = life.state();
        if (s != Lifecycle.State.CLOSED) {
            deadlines.arm(s == Lifecycle.State.CONNECTING, s == Lifecycle.State.CLOSING,
                    s == Lifecycle.State.LINGERING, s == Lifecycle.State.OPEN || s == Lifecycle.State.CLOSING,
                    readingEnabled(), !writer.isEmpty());
        }
    }

    // ---------------------------------------------------------------- the Connection API

    @Override
    public boolean write(ByteBuffer buffer) {
        return writer.write(buffer);
    }

    @Override
    public boolean writeCopy(ByteBuffer src) {
        return writer.writeCopy(src);
    }

    @Override
    public boolean writeFile(FileChannel file, long position, long count) {
        return writer.writeFile(file, position, count);
    }

    @Override
    public void close() {
        if (loop.thread.hopIfNeeded(this::close)) {
            life.closeGracefully(life.localCloseReason());
        }
    }

    @Override
    public void shutdownOutput() {
        if (loop.thread.hopIfNeeded(this::shutdownOutput)) {
            life.shutdownOutput();
        }
    }

    @Override
    public void abort() {
        if (loop.thread.hopIfNeeded(this::abort)) {
            life.abort();
        }
    }

    @Override
    public void pauseReading() {
        loop.checkInLoop("pauseReading");
        setUserPaused(true);
    }

    @Override
    public void resumeReading() {
        loop.checkInLoop("resumeReading");
        setUserPaused(false);
    }

    private void setUserPaused(boolean paused) {
        reader.setUserPaused(paused);
        updateInterest();
        armTimer();
    }

    @Override
    public boolean isWritable() {
        return writer.isWritable();
    }

    @Override
    public long pendingOutputBytes() {
        return writer.pendingBytes();
    }

    @Override
    public boolean isOpen() {
        loop.checkInLoop("isOpen");
        return life.is(Lifecycle.State.OPEN);
    }

    @Override
    public void setDeadline(long deadlineNs) {
        loop.checkInLoop("setDeadline");
        deadlines.setAbsolute(deadlineNs, loop.nowNs());
        armTimer();
    }

    @Override
    public void clearDeadline() {
        loop.checkInLoop("clearDeadline");
        deadlines.clearAbsolute();
        armTimer();
    }

    @Override
    public void setReadIdleTimeoutNs(long timeoutNs) {
        loop.checkInLoop("setReadIdleTimeoutNs");
        deadlines.setReadIdleTimeout(timeoutNs, loop.nowNs());
        armTimer();
    }

    @Override
    public void setWriteTimeoutNs(long timeoutNs) {
        loop.checkInLoop("setWriteTimeoutNs");
        deadlines.setWriteTimeout(timeoutNs);
        armTimer();
    }

    @Override
    public SSLSession tlsSession() {
        loop.checkInLoop("tlsSession");
        return transport instanceof TlsTransport t && t.handshakeDone ? t.engine.getSession() : null;
    }

    @Override
    public String tlsApplicationProtocol() {
        loop.checkInLoop("tlsApplicationProtocol");
        return transport instanceof TlsTransport t && t.handshakeDone ? t.engine.getApplicationProtocol() : null;
    }

    @Override
    public EventLoop loop() {
        return loop.facade;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String toString() {
        return "Connection#" + id + (remote == null ? "" : "(" + remote + ")");
    }
}
