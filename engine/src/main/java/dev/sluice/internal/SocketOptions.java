package dev.sluice.internal;

import dev.sluice.ConnectionConfig;
import dev.sluice.TcpKeepAlive;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * The socket options a {@link ConnectionConfig} asks for, set on accept or before connect.
 *
 * <p>TCP keepalive's timers ({@code jdk.net}'s {@code TCP_KEEPIDLE}, {@code TCP_KEEPINTERVAL},
 * {@code TCP_KEEPCOUNT}) are set only where the channel lists them in {@code supportedOptions()}
 * (Linux and macOS on JDK 17, not Windows); elsewhere they are skipped and the system's values hold,
 * as {@link TcpKeepAlive} documents and {@link TcpKeepAlive#timersSupported()} reports. A timer left at
 * 0 is not set at all, so the system's value holds for it everywhere.
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
        TcpKeepAlive keepAlive = config.tcpKeepAlive();
        if (keepAlive.enabled()) {
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            setIfSupported(ch, ExtendedSocketOptions.TCP_KEEPIDLE, keepAlive.idleSeconds());
            setIfSupported(ch, ExtendedSocketOptions.TCP_KEEPINTERVAL, keepAlive.intervalSeconds());
            setIfSupported(ch, ExtendedSocketOptions.TCP_KEEPCOUNT, keepAlive.count());
        }
    }

    private static void setIfSupported(SocketChannel ch, SocketOption<Integer> option, int value) throws IOException {
        if (value > 0 && ch.supportedOptions().contains(option)) {
            ch.setOption(option, value);
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
