package dev.sluice.reliability;

import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static dev.sluice.testing.LoopFixture.ANY_LOOPBACK;

/**
 * A listener on 127.0.0.1 that keeps every handler it made, in accept order, so a test can tell the
 * hostile peer's connection from the well-behaved ones by when it connected.
 *
 * <p>Thread: the factory runs on the loop; {@link #handlers} is safe to read from any thread.
 */
final class TrackedServer<H extends ConnectionHandler> {
    final Listener listener;
    final List<H> handlers = new CopyOnWriteArrayList<>();

    private TrackedServer(EventLoop loop, ListenerConfig config, Supplier<H> factory) throws IOException {
        this.listener = loop.listen(ANY_LOOPBACK, config, () -> {
            H h = factory.get();
            handlers.add(h);
            return h;
        });
    }

    static <H extends ConnectionHandler> TrackedServer<H> listen(EventLoop loop, ConnectionConfig cc,
                                                                  Supplier<H> factory) throws IOException {
        return new TrackedServer<>(loop, ListenerConfig.defaults().withConnectionConfig(cc), factory);
    }

    static <H extends ConnectionHandler> TrackedServer<H> listen(EventLoop loop, ListenerConfig config,
                                                                  Supplier<H> factory) throws IOException {
        return new TrackedServer<>(loop, config, factory);
    }

    InetSocketAddress address() {
        return listener.localAddress();
    }

    H handler(int acceptIndex) {
        return handlers.get(acceptIndex);
    }
}
