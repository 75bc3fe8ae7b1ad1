package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.TimeoutKind;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection: its channel, key, buffers, backpressure state and deadlines.
 *
 * <p>States: CONNECTING → OPEN → (CLOSING → LINGERING) → CLOSED. CLOSING flushes pending output;
 * LINGERING has sent FIN and discards input until the peer's FIN, because closing a socket with unread
 * input makes Linux send RST, and an RST can destroy data the peer has not read yet (RFC 1122 §4.2.2.13;
 * Apache's "lingering close" exists for the same reason).
 *
 * <p>Thread: methods of {@link Connection} say which thread may call them; everything else is loop only.
 */
final class SocketConnection extends Deferrable implements Connection {
    private static final int CONNECTING = 0;
    private static final int OPEN = 1;
    private static final int CLOSING = 2;
    private static final int LINGERING = 3;
    private static final int CLOSED = 4;
    /** How long a lingering close waits for the peer's FIN before closing anyway. */
    private static final long LINGER_NS = 2_000_000_000L;

    private final Loop loop;
    private final ConnectionConfig config;
    private final ConnectionHandler handler;
    private final ServerListener listener;
    private final long id;
    private final OutboundBuffer out = new OutboundBuffer();
    private final InboundBuffer in;
    private final Deadlines deadlines;
    private final TimerNode timer = new TimerNode() {
        @Override
        protected void onExpire(long nowNs) {
            onTimer(nowNs);
        }
    };

    private SocketChannel channel;
    private SelectionKey key;
    private volatile SocketAddress remote;
    private int state = CONNECTING;
    private int interestOps = -1;


    private boolean userPaused;
    private boolean redeliverInput;
    private boolean inputClosed;
    private boolean outputShutdownRequested;
    private boolean outputShutdown;
    private boolean waitingForWritable;
    private boolean writable = true;
    private boolean notifiedWritable = true;
    private boolean opened;
    private boolean closeDelivered;
    private CloseReason closeReason;
    private Throwable closeCause;
    private CloseReason pendingCloseReason;


    boolean inFlushList;
    int registryIndex = -1;

    SocketConnection(Loop loop, ConnectionConfig config, ConnectionHandler handler, ServerListener listener) {
        this.loop = loop;
        this.config = config;
        this.handler = handler;
        this.listener = listener;
        this.id = loop.nextConnectionId();
        this.in = new InboundBuffer(loop.pool, loop.counters, config.maxInputBufferBytes());
        this.deadlines = new Deadlines(config.connectTimeoutNs(), config.readIdleTimeoutNs(), config.writeTimeoutNs());
    }

    // ---------------------------------------------------------------- opening

    void startAccepted(SocketChannel ch, long nowNs) {
        channel = ch;
        loop.registered(this);
        if (listener != null) {
            listener.connectionOpened();
        }
        try {
            ch.configureBlocking(false);
            applySocketOptions(ch);
            remote = ch.getRemoteAddress();
            key = ch.register(loop.selector(), 0, this);
        } catch (IOException e) {
            closeNow(IoErrors.reasonFor(e), e);
            return;
        }
        becomeOpen(nowNs);
    }

    void startConnect(InetSocketAddress address, long nowNs) {
        loop.registered(this);
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            applySocketOptions(channel);
            key = channel.register(loop.selector(), 0, this);
            if (channel.connect(address)) {
                remote = channel.getRemoteAddress();
                loop.counters.inc(Counters.CONNECTS);
                becomeOpen(nowNs);
                return;
            }
        } catch (IOException | RuntimeException e) {
            // RuntimeException: UnresolvedAddressException, UnsupportedAddressTypeException.
            closeNow(CloseReason.CONNECT_FAILED, e);
            return;
        }
        if (config.connectTimeoutNs() > 0) {
            deadlines.connectAtNs = nowNs + config.connectTimeoutNs();
        }
        updateInterest();
        armTimer();
    }

    private void finishConnect(long nowNs) {
        try {
            if (!channel.finishConnect()) {
                return;
            }
            remote = channel.getRemoteAddress();
        } catch (IOException e) {
            closeNow(CloseReason.CONNECT_FAILED, e);
            return;
        }
        loop.counters.inc(Counters.CONNECTS);
        becomeOpen(nowNs);
    }

    private void applySocketOptions(SocketChannel ch) throws IOException {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, config.tcpNoDelay());
        if (config.sendBufferBytes() > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, config.sendBufferBytes());
        }
        if (config.receiveBufferBytes() > 0) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferBytes());
        }
    }

    private void becomeOpen(long nowNs) {
        state = OPEN;
        opened = true;
        deadlines.lastReadNs = nowNs;
        if (!out.isEmpty()) {
            deadlines.lastWriteProgressNs = nowNs;
            loop.addToFlush(this);
        }
        updateInterest();
        armTimer();
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            handlerFailed(t);
            return;
        }
        // A close or shutdown requested before the connect completed can proceed now.
        if (pendingCloseReason != null && state == OPEN) {
            closeGracefully(pendingCloseReason);
        } else if (outputShutdownRequested && out.isEmpty() && state == OPEN) {
            doShutdownOutput();
        }
    }

    // ---------------------------------------------------------------- readiness

    void onReady(SelectionKey k, long nowNs) {
        int ready;
        try {
            ready = k.readyOps();
        } catch (java.nio.channels.CancelledKeyException e) {
            return;
        }
        if ((ready & SelectionKey.OP_CONNECT) != 0 && state == CONNECTING) {
            finishConnect(nowNs);
        }
        // Write first: it frees memory and may re-enable reading.
        if ((ready & SelectionKey.OP_WRITE) != 0 && state != CLOSED) {
            waitingForWritable = false;
            flush(nowNs);
        }
        if ((ready & SelectionKey.OP_READ) != 0 && state != CLOSED) {
            if (state == LINGERING) {
                drainLinger();
            } else if (readingEnabled()) {
                read(nowNs);
            }
        }
    }

    private boolean readingEnabled() {
        return state == OPEN && !inputClosed && !userPaused && !(config.pauseReadWhenUnwritable() && !writable);
    }

    private void read(long nowNs) {
        int budget = config.readBudgetBytes();
        while (budget > 0 && readingEnabled()) {
            ByteBuffer buf;
            int n;
            int offered;
            try {
                if (in.buffer() == null) {
                    buf = loop.readBuffer;
                    buf.clear();
                    if (budget < buf.capacity()) {
                        buf.limit(budget);
                    }
                    offered = buf.remaining();
                    n = channel.read(buf);
                    buf.flip();
                } else {
                    if (!in.prepareRead()) {
                        inputOverflow();
                        return;
                    }
                    buf = in.buffer();
                    offered = buf.remaining();
                    try {
                        n = channel.read(buf);
                    } finally {
                        in.afterRead();
                    }
                }
            } catch (IOException e) {
                closeNow(IoErrors.reasonFor(e), e);
                return;
            }
            loop.counters.inc(Counters.READS);
            if (n < 0) {
                onPeerEof();
                return;
            }
            if (n == 0) {
                return;
            }
            loop.counters.add(Counters.BYTES_READ, n);
            deadlines.lastReadNs = nowNs;
            budget -= n;
            deliverData(buf);
            if (n < offered) {
                return; // the socket is drained; don't spend a syscall to learn it again
            }
        }
    }

    /** Hands bytes to the handler; keeps what it leaves unconsumed, within the input cap. */
    private void deliverData(ByteBuffer buf) {
        loop.deliveringTo = this;
        try {
            handler.onData(this, buf);
        } catch (Throwable t) {
            loop.deliveringTo = null;
            handlerFailed(t);
            return;
        }
        loop.deliveringTo = null;
        if (state != OPEN) {
            // The handler closed the connection during the call; reading is over, so whatever it left
            // unconsumed is dropped, and the held input the close could not release is released now.
            releaseInput();
            return;
        }
        if (buf == loop.readBuffer) {
            if (buf.hasRemaining() && !in.keep(buf)) {
                inputOverflow();
            }
        } else {
            in.afterDelivery();
        }
    }

    private void inputOverflow() {
        closeNow(CloseReason.INPUT_OVERFLOW, new IOException("more than " + in.maxBytes() + " bytes of unconsumed input"));
    }

    private void releaseInput() {
        in.release();
    }

    private void onPeerEof() {
        inputClosed = true;
        updateInterest();
        armTimer();
        if (outputShutdown) {
            closeNow(CloseReason.PEER_CLOSED, null);
            return;
        }
        try {
            handler.onInputClosed(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    private void drainLinger() {
        ByteBuffer buf = loop.readBuffer;
        try {
            while (true) {
                buf.clear();
                int n = channel.read(buf);
                loop.counters.inc(Counters.READS);
                if (n < 0) {
                    closeNow(closeReason(), null);
                    return;
                }
                if (n == 0) {
                    return;
                }
                loop.counters.add(Counters.BYTES_READ, n);
            }
        } catch (IOException e) {
            closeNow(closeReason(), null); // our FIN went out; a reset now loses nothing of ours
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public boolean write(ByteBuffer buffer) {
        if (!loop.inLoop()) {
            return loop.tryExecute(() -> write(buffer));
        }
        if (!acceptsWrites()) {
            loop.counters.inc(Counters.WRITES_DROPPED);
            return false;
        }
        int n = buffer.remaining();
        if (n == 0) {
            return true;
        }
        if (wouldOverflow(n)) {
            return false;
        }
        out.add(buffer);
        return afterQueued(n);
    }

    @Override
    public boolean writeCopy(ByteBuffer src) {
        assert loop.inLoop() : "writeCopy off the loop thread";
        if (!acceptsWrites()) {
            loop.counters.inc(Counters.WRITES_DROPPED);
            return false;
        }
        int n = src.remaining();
        if (n == 0) {
            return true;
        }
        if (wouldOverflow(n)) {
            return false;
        }
        out.copyIn(src, loop.pool);
        return afterQueued(n);
    }

    @Override
    public boolean writeFile(FileChannel file, long position, long count) {
        if (file == null || position < 0 || count < 0) {
            throw new IllegalArgumentException("need a file, position >= 0 and count >= 0, got "
                    + file + ", " + position + ", " + count);
        }
        if (!loop.inLoop()) {
            return loop.tryExecute(() -> writeFile(file, position, count));
        }
        if (!acceptsWrites()) {
            loop.counters.inc(Counters.WRITES_DROPPED);
            return false;
        }
        if (count == 0) {
            return true;
        }
        if (wouldOverflow(count)) {
            return false;
        }
        out.addFile(file, position, count);
        return afterQueued(count);
    }

    private boolean acceptsWrites() {
        return (state == OPEN || state == CONNECTING) && pendingCloseReason == null && !outputShutdownRequested;
    }

    /**
     * Checked before queuing, so the cap really caps: a write that would take pending output over it is
     * refused whole and closes the connection, instead of being queued (for {@code writeCopy}, copied
     * into pooled chunks) in full and dropped a moment later. A 50 MB {@code writeCopy} used to allocate
     * 50 MB of direct buffers on the way to OUTPUT_OVERFLOW.
     */
    private boolean wouldOverflow(long n) {
        long pending = out.pendingBytes() + n;
        if (pending <= config.maxPendingOutputBytes()) {
            return false;
        }
        closeNow(CloseReason.OUTPUT_OVERFLOW, new IOException(pending
                + " bytes of pending output, over the cap of " + config.maxPendingOutputBytes()));
        return true;
    }

    private boolean afterQueued(long n) {
        long pending = out.pendingBytes();
        loop.addPendingOutput(n);
        if (pending == n) {
            deadlines.lastWriteProgressNs = loop.nowNs(); // the write-stall clock starts when output starts waiting
            armTimer();
        }
        if (writable && pending > config.highWatermarkBytes()) {
            writable = false;
            loop.counters.inc(Counters.BECAME_UNWRITABLE);
            updateInterest();
            loop.defer(this);
        }
        if (!waitingForWritable && state != CONNECTING) {
            loop.addToFlush(this);
        }
        return true;
    }

    /** Writes pending output within the write budget; asks for OP_WRITE only when the socket is full. */
    void flush(long nowNs) {
        if (state == CLOSED || state == CONNECTING) {
            return;
        }
        long budget = config.writeBudgetBytes();
        while (!out.isEmpty()) {
            long n;
            try {
                n = out.writeTo(channel, loop.pool);
            } catch (IOException e) {
                closeNow(IoErrors.reasonFor(e), e);
                return;
            }
            loop.counters.inc(Counters.WRITES);
            loop.addPendingOutput(-n);
            if (n > 0) {
                loop.counters.add(Counters.BYTES_WRITTEN, n);
                deadlines.lastWriteProgressNs = nowNs;
            }
            if (out.lastWriteWasPartial()) {
                loop.counters.inc(Counters.PARTIAL_WRITES);
                waitingForWritable = true; // socket full: the kernel tells us when there is room
                break;
            }
            budget -= n;
            if (budget <= 0 && !out.isEmpty()) {
                loop.addToFlush(this); // budget used up, socket not full: come back next iteration
                break;
            }
        }
        if (out.isEmpty()) {
            waitingForWritable = false;
        }
        if (!writable && out.pendingBytes() <= config.lowWatermarkBytes()) {
            writable = true;
            loop.counters.inc(Counters.BECAME_WRITABLE);
            loop.defer(this);
        }
        updateInterest();
        if (out.isEmpty()) {
            onOutputDrained();
        }
    }

    private void onOutputDrained() {
        if (state == CLOSING) {
            startLinger();
        } else if (outputShutdownRequested && !outputShutdown && state == OPEN) {
            doShutdownOutput();
        }
    }

    private void doShutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            closeNow(IoErrors.reasonFor(e), e);
            return;
        }
        outputShutdown = true;
        if (inputClosed) {
            closeNow(CloseReason.PEER_CLOSED, null);
        }
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        if (!loop.inLoop()) {
            loop.tryExecute(this::close); // a closed loop has closed this connection already
            return;
        }
        closeGracefully(inputClosed ? CloseReason.PEER_CLOSED : CloseReason.LOCAL);
    }

    void closeGracefully(CloseReason reason) {
        if (state == CONNECTING) {
            if (reason == CloseReason.SHUTDOWN || out.isEmpty()) {
                closeNow(reason, null);
            } else {
                pendingCloseReason = reason; // flush what was queued once connected
            }
            return;
        }
        if (state != OPEN) {
            return;
        }
        state = CLOSING;
        pendingCloseReason = reason;
        updateInterest();
        if (out.isEmpty()) {
            startLinger();
        } else if (!waitingForWritable) {
            loop.addToFlush(this);
        }
    }

    private void startLinger() {
        if (inputClosed) {
            closeNow(closeReason(), null);
            return;
        }
        if (!outputShutdown) {
            try {
                channel.shutdownOutput();
            } catch (IOException e) {
                closeNow(closeReason(), null);
                return;
            }
            outputShutdown = true;
        }
        state = LINGERING;
        deadlines.lingerUntilNs = loop.nowNs() + LINGER_NS;
        updateInterest();
        armTimer();
        // Draining happens only on OP_READ readiness, never here: a close can be called from inside any
        // callback that holds the loop's shared read buffer (onData, onDatagram), and draining reads into
        // that buffer. Our own held input, if onData is reading it right now, is released when it returns.
        if (loop.deliveringTo != this) {
            releaseInput();
        }
    }

    private CloseReason closeReason() {
        return pendingCloseReason != null ? pendingCloseReason : CloseReason.LOCAL;
    }

    @Override
    public void shutdownOutput() {
        if (!loop.inLoop()) {
            loop.tryExecute(this::shutdownOutput); // a closed loop has closed this connection already
            return;
        }
        if (outputShutdownRequested || state == CLOSED) {
            return;
        }
        outputShutdownRequested = true;
        if (state == OPEN && out.isEmpty()) {
            doShutdownOutput();
        }
    }

    @Override
    public void abort() {
        if (!loop.inLoop()) {
            loop.tryExecute(this::abort); // a closed loop has closed this connection already
            return;
        }
        if (state == CLOSED) {
            return;
        }
        if (channel != null && channel.isOpen()) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException ignored) {
                // Then it closes with FIN instead of RST; it still closes.
            }
        }
        closeNow(CloseReason.LOCAL, null);
    }

    /** Closes the channel at once and defers onClose. The first reason wins. */
    void closeNow(CloseReason reason, Throwable cause) {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        closeReason = reason;
        closeCause = cause;
        loop.timers.cancel(timer);
        if (key != null) {
            key.cancel();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // The descriptor is released either way.
            }
        }
        if (loop.deliveringTo != this) {
            releaseInput(); // else deliverData does, once the handler is done with the held input
        }
        long dropped = out.clear(loop.pool);
        loop.addPendingOutput(-dropped);
        loop.unregistered(this);
        if (listener != null) {
            listener.connectionClosed();
        }
        loop.counters.inc(Counters.CLOSES + reason.ordinal());
        loop.defer(this);
    }

    @Override
    void deliverDeferred() {
        if (state == CLOSED) {
            if (!closeDelivered) {
                closeDelivered = true;
                try {
                    handler.onClose(this, closeReason, closeCause);
                } catch (Throwable t) {
                    loop.counters.inc(Counters.HANDLER_ERRORS);
                    loop.report(this, t);
                }
            }
            return;
        }
        if (writable != notifiedWritable && opened) {
            notifiedWritable = writable;
            try {
                handler.onWritabilityChanged(this, writable);
            } catch (Throwable t) {
                handlerFailed(t);
                return;
            }
        }
        if (redeliverInput) {
            redeliverInput = false;
            if (readingEnabled() && in.holdsBytes()) {
                deliverData(in.buffer());
            }
        }
    }

    private void handlerFailed(Throwable t) {
        loop.counters.inc(Counters.HANDLER_ERRORS);
        closeNow(CloseReason.HANDLER_ERROR, t);
        loop.report(this, t);
    }

    // ---------------------------------------------------------------- interest

    private void updateInterest() {
        if (key == null || state == CLOSED) {
            return;
        }
        int ops;
        if (state == CONNECTING) {
            ops = SelectionKey.OP_CONNECT;
        } else {
            ops = 0;
            boolean reading = readingEnabled() || (state == LINGERING && !inputClosed);
            if (reading) {
                if ((interestOps & SelectionKey.OP_READ) == 0 && state == OPEN) {
                    deadlines.lastReadNs = loop.nowNs(); // idle time does not run while reading is paused
                    if (in.holdsBytes()) {
                        // Input held from before the pause may already hold whole requests; the kernel
                        // will not report it readable, so hand it back (later, never inside this call).
                        redeliverInput = true;
                        loop.defer(this);
                    }
                }
                ops |= SelectionKey.OP_READ;
            }
            if (waitingForWritable && !out.isEmpty()) {
                ops |= SelectionKey.OP_WRITE;
            }
        }
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    @Override
    public void pauseReading() {
        assert loop.inLoop() : "pauseReading off the loop thread";
        userPaused = true;
        updateInterest();
        armTimer();
    }

    @Override
    public void resumeReading() {
        assert loop.inLoop() : "resumeReading off the loop thread";
        userPaused = false;
        updateInterest();
        armTimer();
    }

    @Override
    public boolean isWritable() {
        assert loop.inLoop() : "isWritable off the loop thread";
        return writable;
    }

    @Override
    public long pendingOutputBytes() {
        assert loop.inLoop() : "pendingOutputBytes off the loop thread";
        return out.pendingBytes();
    }

    @Override
    public boolean isOpen() {
        assert loop.inLoop() : "isOpen off the loop thread";
        return state == OPEN;
    }

    // ---------------------------------------------------------------- deadlines

    @Override
    public void setDeadline(long deadline) {
        assert loop.inLoop() : "setDeadline off the loop thread";
        deadlines.absoluteNs = deadline;
        deadlines.hasAbsolute = true;
        armTimer();
    }

    @Override
    public void clearDeadline() {
        assert loop.inLoop() : "clearDeadline off the loop thread";
        deadlines.hasAbsolute = false;
        armTimer();
    }

    @Override
    public void setReadIdleTimeoutNs(long timeoutNs) {
        assert loop.inLoop() : "setReadIdleTimeoutNs off the loop thread";
        deadlines.readIdleTimeoutNs = timeoutNs;
        deadlines.lastReadNs = loop.nowNs();
        armTimer();
    }

    @Override
    public void setWriteTimeoutNs(long timeoutNs) {
        assert loop.inLoop() : "setWriteTimeoutNs off the loop thread";
        deadlines.writeTimeoutNs = timeoutNs;
        armTimer();
    }

    private long nextDeadline() {
        return deadlines.next(state == CONNECTING, state == LINGERING, state == OPEN || state == CLOSING,
                readingEnabled(), !out.isEmpty());
    }

    /** Moves the heap entry earlier when needed; a later real deadline is found when the entry fires. */
    private void armTimer() {
        if (state == CLOSED) {
            return;
        }
        long next = nextDeadline();
        if (next == Deadlines.NONE) {
            loop.timers.cancel(timer);
        } else if (!timer.isScheduled() || next - timer.deadlineNs() < 0) {
            loop.timers.schedule(timer, next);
        }
    }

    private void onTimer(long nowNs) {
        if (state == CLOSED) {
            return;
        }
        if (state == CONNECTING && deadlines.connectDue(nowNs)) {
            loop.counters.inc(Counters.TIMEOUT_CONNECT);
            closeNow(CloseReason.CONNECT_TIMEOUT, new SocketTimeoutException(
                    "connect timed out after " + config.connectTimeoutNs() / 1_000_000 + " ms"));
            return;
        }
        if (state == LINGERING && deadlines.lingerDue(nowNs)) {
            closeNow(closeReason(), null);
            return;
        }
        if (state == OPEN || state == CLOSING) {
            if (deadlines.absoluteDue(nowNs)) {
                deadlines.hasAbsolute = false;
                loop.counters.inc(Counters.TIMEOUT_DEADLINE);
                fireTimeout(TimeoutKind.DEADLINE, nowNs);
            }
            if (state != CLOSED && deadlines.idleDue(nowNs, readingEnabled())) {
                loop.counters.inc(Counters.TIMEOUT_READ_IDLE);
                fireTimeout(TimeoutKind.READ_IDLE, nowNs);
            }
            if (state != CLOSED && deadlines.stallDue(nowNs, !out.isEmpty())) {
                loop.counters.inc(Counters.TIMEOUT_WRITE_STALL);
                fireTimeout(TimeoutKind.WRITE_STALL, nowNs);
            }
        }
        armTimer();
    }

    private void fireTimeout(TimeoutKind kind, long nowNs) {
        boolean close;
        try {
            close = handler.onTimeout(this, kind);
        } catch (Throwable t) {
            handlerFailed(t);
            return;
        }
        if (state == CLOSED) {
            return;
        }
        if (close) {
            // A timeout closes at once: waiting to flush is what just failed, or nobody is there.
            closeNow(kind.closeReason(), null);
        } else if (kind == TimeoutKind.READ_IDLE) {
            deadlines.lastReadNs = nowNs;
        } else if (kind == TimeoutKind.WRITE_STALL) {
            deadlines.lastWriteProgressNs = nowNs;
        }
    }

    // ---------------------------------------------------------------- identity

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
