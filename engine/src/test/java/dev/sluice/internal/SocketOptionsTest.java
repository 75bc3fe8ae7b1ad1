package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.TcpKeepAlive;
import dev.sluice.testing.LoopFixture;
import dev.sluice.testing.RecordingHandler;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP keepalive as {@link SocketOptions} sets it, read back from a real connected socket. The timers
 * are asserted where {@link TcpKeepAlive#timersSupported()} says the platform has them (Linux, macOS);
 * elsewhere the test proves that applying them neither fails nor sets anything but {@code SO_KEEPALIVE}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketOptionsTest {

    /** A connected client socket (the server side is accepted and tracked for the leak check). */
    private static SocketChannel connected(LoopFixture f) throws Exception {
        ServerSocketChannel server = f.track(ServerSocketChannel.open().bind(LoopFixture.ANY_LOOPBACK));
        SocketChannel client = f.connect((java.net.InetSocketAddress) server.getLocalAddress());
        f.track(server.accept());
        return client;
    }

    @Test
    void shouldLeaveKeepAliveOffByDefault() throws Exception {
        try (LoopFixture f = new LoopFixture("ka-default")) {
            SocketChannel ch = connected(f);
            SocketOptions.apply(ch, ConnectionConfig.defaults());
            assertFalse(ch.getOption(StandardSocketOptions.SO_KEEPALIVE));
        }
    }

    @Test
    void shouldSetKeepAliveAndItsTimersWhereThePlatformHasThem() throws Exception {
        try (LoopFixture f = new LoopFixture("ka-timers")) {
            SocketChannel ch = connected(f);
            boolean supported = ch.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)
                    && ch.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPINTERVAL)
                    && ch.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPCOUNT);
            assertEquals(supported, TcpKeepAlive.timersSupported(), "the probe agrees with a real socket");

            TcpKeepAlive ka = TcpKeepAlive.on().withIdle(Duration.ofSeconds(61)).withInterval(Duration.ofSeconds(7))
                    .withCount(4);
            SocketOptions.apply(ch, ConnectionConfig.defaults().withTcpKeepAlive(ka));

            assertTrue(ch.getOption(StandardSocketOptions.SO_KEEPALIVE));
            if (supported) {
                assertEquals(61, ch.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
                assertEquals(7, ch.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
                assertEquals(4, ch.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
            }
        }
    }

    @Test
    void shouldLeaveATimerOfZeroAtTheSystemsValue() throws Exception {
        try (LoopFixture f = new LoopFixture("ka-zero")) {
            SocketChannel ch = connected(f);
            if (!TcpKeepAlive.timersSupported()) {
                SocketOptions.apply(ch, ConnectionConfig.defaults().withTcpKeepAlive(TcpKeepAlive.on()));
                assertTrue(ch.getOption(StandardSocketOptions.SO_KEEPALIVE), "on, with the system's timers");
                return;
            }
            int systemIdle = ch.getOption(ExtendedSocketOptions.TCP_KEEPIDLE);
            int systemCount = ch.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT);
            SocketOptions.apply(ch, ConnectionConfig.defaults()
                    .withTcpKeepAlive(TcpKeepAlive.on().withInterval(Duration.ofSeconds(3))));
            assertTrue(ch.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertEquals(systemIdle, ch.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
            assertEquals(3, ch.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
            assertEquals(systemCount, ch.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
        }
    }

    @Test
    void shouldAcceptAndConnectWithKeepAliveThroughTheEngine() throws Exception {
        try (LoopFixture f = new LoopFixture("ka-engine")) {
            EventLoop loop = f.startLoop();
            ConnectionConfig cc = ConnectionConfig.defaults().withTcpKeepAlive(TcpKeepAlive.on()
                    .withIdle(Duration.ofSeconds(30)).withInterval(Duration.ofSeconds(5)).withCount(3));
            RecordingHandler accepted = new RecordingHandler();
            Listener l = loop.listen(LoopFixture.ANY_LOOPBACK, ListenerConfig.defaults().withConnectionConfig(cc),
                    () -> accepted);
            RecordingHandler client = new RecordingHandler();
            loop.connect(l.localAddress(), cc, client);
            assertTrue(client.opened.await(10, TimeUnit.SECONDS));
            assertTrue(accepted.opened.await(10, TimeUnit.SECONDS));
            client.connection.close();
            assertTrue(accepted.closed.await(10, TimeUnit.SECONDS));
            assertEquals(CloseReason.PEER_CLOSED, accepted.closeReason, "the options did not fail either side");
        }
    }

    @Test
    void shouldRefuseTimersOutsideTheKernelsRangeAndFractionsOfASecond() {
        assertThrows(IllegalArgumentException.class, () -> new TcpKeepAlive(true, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TcpKeepAlive(true, 32768, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TcpKeepAlive(true, 0, 32768, 0));
        assertThrows(IllegalArgumentException.class, () -> new TcpKeepAlive(true, 0, 0, 128));
        assertThrows(IllegalArgumentException.class, () -> TcpKeepAlive.on().withIdle(Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> TcpKeepAlive.on().withInterval(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> ConnectionConfig.defaults().withTcpKeepAlive(null));
        assertEquals(new TcpKeepAlive(true, 32767, 1, 127),
                TcpKeepAlive.on().withIdle(Duration.ofSeconds(32767)).withInterval(Duration.ofSeconds(1)).withCount(127));
        assertEquals(TcpKeepAlive.off(), ConnectionConfig.defaults().tcpKeepAlive());
    }
}
