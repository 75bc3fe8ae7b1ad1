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
    // Static: an opening is a few steps, not state; an object per connection for them would stay
    // allocated, 32 bytes per idle connection, long after the connection opened.
    private Opening() {
    }

    static void accepted(SocketConnection c, SocketChannel ch, long nowNs) {
        Loop loop = c.eventLoop();
        c.transport = new SocketTransport(ch);
        loop.registry.add(c);
        c.listener().connectionOpened();
        try {
            ch.configureBlocking(false);
            SocketOptions.apply(ch, c.config());
            c.remote = ch.getRemoteAddress();
            c.key = ch.register(loop.selector(), 0, c);
        } catch (IOException e) {
            c.life.closeNow(IoErrors.reasonFor(e), e);
            return;
        }
        connected(c, nowNs);
    }

    static void connect(SocketConnection c, InetSocketAddress address, long nowNs) {
        Loop loop = c.eventLoop();
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
            SocketOptions.apply(ch, c.config());
            c.key = ch.register(loop.selector(), 0, c);
            if (ch.connect(address)) {
                c.remote = ch.getRemoteAddress();
                loop.counters.inc(Counters.CONNECTS);
                connected(c, nowNs);
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

    static void finishConnect(SocketConnection c, long nowNs) {
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
        c.eventLoop().counters.inc(Counters.CONNECTS);
        connected(c, nowNs);
    }

    /** TCP is connected: open now, or first the TLS handshake, which calls {@link #handshakeCompleted}. */
    private static void connected(SocketConnection c, long nowNs) {
        ConnectionConfig config = c.config();
        if (config.tls() == null) {
            becomeOpen(c, nowNs);
        } else {
            TlsHandshake.start(c, c.eventLoop(), (SocketChannel) c.key.channel(), config.tls(), c.listener() == null,
                    c.remote, nowNs);
        }
    }

    /** The TLS handshake completed: open, and deliver what arrived with its last flight. */
    static void handshakeCompleted(SocketConnection c, long nowNs) {
        becomeOpen(c, nowNs);
        if (c.transport.hasBufferedInput()) {
            c.readAgainLater();
        }
    }

    private static void becomeOpen(SocketConnection c, long nowNs) {
        c.life.becameOpen();
        c.opened = true;
        c.deadlines.lastReadNs = nowNs;
        if (!c.outputEmpty()) {
            c.deadlines.lastWriteProgressNs = nowNs;
            c.eventLoop().addToFlush(c);
        }
        c.updateInterest();
        c.armTimer();
        if (HandlerCalls.onOpen(c)) {
            c.life.afterOpen();
        }
    }
}
