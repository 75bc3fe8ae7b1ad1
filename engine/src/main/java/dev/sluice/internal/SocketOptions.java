package dev.sluice.internal;

import dev.sluice.ConnectionConfig;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * The socket options a {@link ConnectionConfig} asks for, set on accept or before connect.
 *
 * <p>Thread: loop only.
 */
final class SocketOptions {
    private SocketOptions() {
    }

    static void apply(SocketChannel ch, ConnectionConfig config) throws IOException {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, config.tcpNoDelay());
        if (config.sendBufferBytes() > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, config.sendBufferBytes());
        }
        if (config.receiveBufferBytes() > 0) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferBytes());
        }
    }

    /** Makes the coming close reset the connection (RST), if the socket is still open. */
    static void lingerZero(SocketChannel ch) {
        if (ch.isOpen()) {
            try {
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException ignored) {
                // Then it closes with FIN instead of RST; it still closes.
            }
        }
    }
}
