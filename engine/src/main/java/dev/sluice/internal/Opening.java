package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * How a connection opens: accepted, or connected (at once, or when {@code OP_CONNECT} fires), then,
 * with TLS, the handshake ({@link TlsHandshake}), and then {@code OPEN} and {@code onOpen}. Until then
 * the connection is {@code CONNECTING}: writes queue, reading waits.
 *
 * <p>Thread: loop only.
 */
final class Opening {
    private final SocketConnection c;
    private final Loop loop;
    private final ConnectionConfig config;
    private final ConnectionSource listener;

    Opening(SocketConnection c, Loop loop, ConnectionConfig config, ConnectionSource listener) {
        this.c = c;
        this.loop = loop;
        this.config = config;
        this.listener = listener;
    }

    void accepted(SocketChannel ch, long nowNs) {
        c.transport = new SocketTransport(ch);
        loop.registry.add(c);
        listener.connectionOpened();
        try {
            ch.configureBlocking(false);
            SocketOptions.apply(ch, config);
            c.remote = ch.getRemoteAddress();
            c.key = ch.register(loop.selector(), 0, c);
        } catch (IOException e) {
            c.life.closeNow(IoErrors.reasonFor(e), e);
            return;
        }
        connected(nowNs);
    }

    void connect(InetSocketAddress address, long nowNs) {
        if (c.life.is(Lifecycle.State.CLOSED)) {
            return; // closed before its turn came: nothing to open, and onClose is on its way
        }
        if (!loop.acceptsNewWork()) {
            c.life.closeNow(CloseReason.SHUTDOWN, null);
            return;
        }
        loop.registry.add(c);
        try {
            SocketChannel ch = SocketChannel.open();
            c.transport = new SocketTransport(ch);
            ch.configureBlocking(false);
            SocketOptions.apply(ch, config);
            c.key = ch.register(loop.selector(), 0, c);
            if (ch.connect(address)) {
                c.remote = ch.getRemoteAddress();
                loop.counters.inc(Counters.CONNECTS);
                connected(nowNs);
                return;
            }
        } catch (IOException | RuntimeException e) {
            // RuntimeException: UnresolvedAddressException, UnsupportedAddressTypeException.
            c.life.closeNow(CloseReason.CONNECT_FAILED, e);
            return;
        }
        c.deadlines.connectStarted(nowNs);
        c.updateInterest();
        c.armTimer();
    }

    void finishConnect(long nowNs) {
        try {
            SocketChannel ch = (SocketChannel) c.key.channel();
            if (!ch.finishConnect()) {
                return;
            }
            c.remote = ch.getRemoteAddress();
        } catch (IOException e) {
            c.life.closeNow(CloseReason.CONNECT_FAILED, e);
            return;
        }
        loop.counters.inc(Counters.CONNECTS);
        connected(nowNs);
    }

    /** TCP is connected: open now, or first the TLS handshake, which calls {@link #handshakeCompleted}. */
    private void connected(long nowNs) {
        if (config.tls() == null) {
            becomeOpen(nowNs);
        } else {
            TlsHandshake.start(c, loop, (SocketChannel) c.key.channel(), config.tls(), listener == null, c.remote,
                    nowNs);
        }
    }

    /** The TLS handshake completed: open, and deliver what arrived with its last flight. */
    void handshakeCompleted(long nowNs) {
        becomeOpen(nowNs);
        if (c.transport.hasBufferedInput()) {
            c.readAgainLater();
        }
    }

    private void becomeOpen(long nowNs) {
        c.life.becameOpen();
        c.opened = true;
        c.deadlines.lastReadNs = nowNs;
        if (!c.outputEmpty()) {
            c.deadlines.lastWriteProgressNs = nowNs;
            loop.addToFlush(c);
        }
        c.updateInterest();
        c.armTimer();
        if (c.calls.onOpen()) {
            c.life.afterOpen();
        }
    }
}
