package dev.sluice.samples.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Blocking test clients, closed before the server they talk to (declare after it in try-with-resources),
 * so a graceful server close does not wait for clients that will never hang up.
 *
 * <p>Thread: the test thread.
 */
final class Clients implements AutoCloseable {
    private final List<SocketChannel> open = new ArrayList<>();

    SocketChannel connect(InetSocketAddress address) throws IOException {
        SocketChannel c = SocketChannel.open(address);
        open.add(c);
        return c;
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel c : open) {
            c.close();
        }
        for (SocketChannel c : open) {
            assertFalse(c.isOpen());
        }
    }
}
