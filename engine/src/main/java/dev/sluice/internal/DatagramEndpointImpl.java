package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.DatagramConfig;
import dev.sluice.DatagramEndpoint;
import dev.sluice.DatagramHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * A UDP socket on the loop. Receives into the loop's shared read buffer with its limit one byte past the
 * maximum datagram size: the kernel truncates silently, so a datagram that fills that extra byte was too
 * big and is dropped and counted rather than handed over cut short. Sends go straight to the kernel when
 * nothing is queued; when the send buffer is full ({@code send} returns 0) they wait in a bounded queue
 * and the endpoint asks for {@code OP_WRITE}.
 *
 * <p>Thread: counters and the Thread-any methods any; everything else loop only.
 */
final class DatagramEndpointImpl extends Deferrable implements DatagramEndpoint, Selectable {
    private static final int RECEIVED = 0;
    private static final int SENT = 1;
    private static final int DROPPED = 2;

    private final Loop loop;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final DatagramConfig config;
    private final DatagramHandler handler;
    private final Counters counts = new Counters();
    private final ByteBuffer[] queued;
    private final SocketAddress[] targets;
    private int head;
    private int size;

    private SelectionKey key;
    private boolean closed;
    private boolean closeDelivered;
    private CloseReason closeReason;
    private Throwable closeCause;

    DatagramEndpointImpl(Loop loop, InetSocketAddress address, DatagramConfig config, DatagramHandler handler)
            throws IOException {
        if (config.maxDatagramBytes() >= loop.readBuffer.capacity()) {
            throw new IllegalArgumentException("maxDatagramBytes " + config.maxDatagramBytes()
                    + " must be below the loop's read buffer (" + loop.readBuffer.capacity() + " bytes)");
        }
        this.loop = loop;
        this.config = config;
        this.handler = handler;
        this.queued = new ByteBuffer[config.maxQueuedDatagrams()];
        this.targets = new SocketAddress[config.maxQueuedDatagrams()];
        DatagramChannel ch = DatagramChannel.open();
        try {
            if (config.sendBufferBytes() > 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, config.sendBufferBytes());
            }
            if (config.receiveBufferBytes() > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferBytes());
            }
            ch.bind(address);
            ch.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        this.channel = ch;
        this.localAddress = (InetSocketAddress) ch.getLocalAddress();
    }

    void register() {
        if (closed) {
            return;
        }
        try {
            key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
            loop.registry.add(this);
        } catch (IOException e) {
            closeNow(CloseReason.IO_ERROR, e);
        }
    }

    @Override
    public void onReady(int ready) {
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            drainQueue();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !closed) {
            receive();
        }
    }

    private void receive() {
        ByteBuffer buf = loop.readBuffer;
        for (int i = 0; i < config.receiveBatch() && !closed; i++) {
            buf.clear().limit(config.maxDatagramBytes() + 1);
            SocketAddress sender;
            try {
                sender = channel.receive(buf);
            } catch (IOException e) {
                // ICMP errors surface here on some systems; one bad peer must not close the endpoint.
                loop.report(null, e);
                continue;
            }
            if (sender == null) {
                return;
            }
            buf.flip();
            if (buf.remaining() > config.maxDatagramBytes()) {
                counts.inc(DROPPED);
                loop.counters.inc(Counters.DATAGRAMS_DROPPED);
                continue;
            }
            counts.inc(RECEIVED);
            loop.counters.inc(Counters.DATAGRAMS_RECEIVED);
            try {
                handler.onDatagram(this, buf, sender);
            } catch (Throwable t) {
                Fatal.rethrowIfFatal(t);
                loop.counters.inc(Counters.HANDLER_ERRORS);
                closeNow(CloseReason.HANDLER_ERROR, t);
                loop.report(null, t);
            }
        }
    }

    @Override
    public void onDispatchFailure(RuntimeException e) {
        closeNow(CloseReason.IO_ERROR, e);
    }

    @Override
    public Class<?> handlerClass() {
        return handler.getClass();
    }

    /** Never registered (the loop would not take it): closes the socket, from any thread. */
    void abandon() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // The descriptor is released either way.
        }
    }

    @Override
    public boolean send(ByteBuffer datagram, SocketAddress target) {
        if (datagram == null || target == null) {
            throw new NullPointerException("send needs a datagram and a target");
        }
        if (target instanceof InetSocketAddress a && a.isUnresolved()) {
            // Checked here, on the caller's thread: queued, it would fail on every retry of the queue.
            throw new IllegalArgumentException("unresolved address " + a + ": resolve it before sending");
        }
        if (!loop.inLoop()) {
            return loop.thread.offerFromOtherThread(() -> send(datagram, target));
        }
        if (closed) {
            return drop();
        }
        if (size == 0) {
            int r = trySend(datagram, target);
            if (r != TRY_FULL) {
                return r == TRY_SENT;
            }
        }
        if (size == queued.length) {
            return drop();
        }
        int tail = (head + size) % queued.length;
        queued[tail] = datagram;
        targets[tail] = target;
        size++;
        if (size == 1) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
        return true;
    }

    /** @return whether the kernel took it; false means the send buffer is full */
    private static final int TRY_SENT = 0;
    private static final int TRY_FULL = 1;
    private static final int TRY_FAILED = 2;

    /** @return {@link #TRY_SENT}, {@link #TRY_FULL} (the send buffer is full), or {@link #TRY_FAILED} (dropped or closed) */
    private int trySend(ByteBuffer datagram, SocketAddress target) {
        try {
            if (channel.send(datagram, target) == 0) {
                return TRY_FULL;
            }
        } catch (IOException e) {
            closeNow(CloseReason.IO_ERROR, e);
            return TRY_FAILED;
        } catch (RuntimeException e) {
            // This datagram's target is unusable (an address type the socket cannot send to): drop it,
            // counted and reported, and keep the endpoint.
            drop();
            loop.report(null, e);
            return TRY_FAILED;
        }
        counts.inc(SENT);
        loop.counters.inc(Counters.DATAGRAMS_SENT);
        return TRY_SENT;
    }

    private void drainQueue() {
        while (size > 0 && !closed) {
            if (trySend(queued[head], targets[head]) == TRY_FULL || closed) {
                return; // still full: OP_WRITE stays on; or closed, which emptied the queue
            }
            queued[head] = null;
            targets[head] = null;
            head = (head + 1) % queued.length;
            size--;
        }
        if (!closed) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private boolean drop() {
        counts.inc(DROPPED);
        loop.counters.inc(Counters.DATAGRAMS_DROPPED);
        return false;
    }

    @Override
    public void close() {
        if (loop.thread.hopIfNeeded(this::close)) {
            closeNow(CloseReason.LOCAL, null);
        }
    }

    void closeNow(CloseReason reason, Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        closeReason = reason;
        closeCause = cause;
        while (size > 0) {
            queued[head] = null;
            targets[head] = null;
            head = (head + 1) % queued.length;
            size--;
            drop();
        }
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // The descriptor is released either way.
        }
        loop.registry.remove(this);
        loop.defer(this);
    }

    @Override
    void deliverDeferred() {
        if (closed && !closeDelivered) {
            closeDelivered = true;
            try {
                handler.onClose(this, closeReason, closeCause);
            } catch (Throwable t) {
                Fatal.rethrowIfFatal(t);
                loop.report(null, t);
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public long receivedCount() {
        return counts.get(RECEIVED);
    }

    @Override
    public long sentCount() {
        return counts.get(SENT);
    }

    @Override
    public long droppedCount() {
        return counts.get(DROPPED);
    }

    @Override
    public String toString() {
        return "DatagramEndpoint" + localAddress;
    }
}
