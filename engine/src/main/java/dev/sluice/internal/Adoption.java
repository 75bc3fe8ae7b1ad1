package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Giving a loop a channel some other thread accepted: {@code EventLoop.adopt} for callers, and a
 * group's hand-off from its acceptor loop. The channel is registered on the target loop by a task
 * through that loop's queue, so it is touched by one thread at a time and {@code onOpen} never runs
 * inside the call that handed it over.
 *
 * <p>Thread: any.
 */
public final class Adoption {
    private Adoption() {
    }

    /**
     * Thread: any. Creates the connection now and opens it on {@code loop}. On refusal the channel is closed.
     *
     * @param loop    the loop that will own the connection
     * @param channel an accepted (connected) channel, which the loop owns from now on
     * @param config  the connection's configuration
     * @param handler the connection's handler
     * @return the connection, not yet open
     * @throws RejectedExecutionException when the loop's queue is full (counted; the channel is closed)
     * @throws IllegalStateException when the loop has ended (the channel is closed)
     */
    public static Connection adopt(Loop loop, SocketChannel channel, ConnectionConfig config,
                                   ConnectionHandler handler) {
        if (channel == null || config == null || handler == null) {
            throw new NullPointerException("adopt needs a channel, a config and a handler");
        }
        SocketConnection c = new SocketConnection(loop, config, handler, ConnectionSource.NONE);
        try {
            loop.thread.execute(() -> {
                if (c.life.is(Lifecycle.State.CLOSED) || !loop.acceptsNewWork()) {
                    closeQuietly(channel); // nothing registered yet; onClose (SHUTDOWN, or the close's) follows
                    c.life.closeNow(CloseReason.SHUTDOWN, null);
                    return;
                }
                c.startAccepted(channel, loop.nowNs());
            });
        } catch (RejectedExecutionException | IllegalStateException e) {
            closeQuietly(channel);
            throw e;
        }
        return c;
    }

    /**
     * Hands an accepted channel to {@code target}, where {@code factory} makes its handler. When this
     * returns {@code true}, {@code source.connectionClosed()} is called exactly once on the target loop
     * when the connection ends, whether it ever opened or not, and {@code ran} runs there once the
     * channel is registered or given up. When it returns {@code false} (the target's queue is full,
     * counted there, or the target has ended) nothing was queued and the channel is still the caller's.
     *
     * @param target  the loop that will own the connection
     * @param channel the accepted channel
     * @param config  the connection's configuration
     * @param factory makes the handler, on the target loop's thread
     * @param source  told when the connection closes
     * @param ran     runs on the target loop after the channel is registered or given up
     * @return whether the target took the channel
     */
    static boolean handOff(Loop target, SocketChannel channel, ConnectionConfig config,
                           Supplier<? extends ConnectionHandler> factory, ConnectionSource source, Runnable ran) {
        try {
            target.thread.execute(() -> {
                try {
                    start(target, channel, config, factory, source);
                } finally {
                    ran.run();
                }
            });
            return true;
        } catch (RejectedExecutionException | IllegalStateException e) {
            return false;
        }
    }

    private static void start(Loop loop, SocketChannel channel, ConnectionConfig config,
                              Supplier<? extends ConnectionHandler> factory, ConnectionSource source) {
        if (!loop.acceptsNewWork()) {
            // Shutting down since the acceptor chose it: refused as a listener here would refuse it.
            loop.counters.inc(Counters.REJECTED);
            loop.counters.inc(Counters.CLOSES + CloseReason.REJECTED.ordinal());
            reset(channel);
            source.connectionClosed();
            return;
        }
        ConnectionHandler handler;
        try {
            handler = factory.get();
        } catch (Throwable t) {
            closeQuietly(channel);
            source.connectionClosed();
            Fatal.rethrowIfFatal(t);
            loop.report(null, t);
            return;
        }
        // From here the connection tells the source itself: registered first, so every close path does.
        new SocketConnection(loop, config, handler, source).startAccepted(channel, loop.nowNs());
    }

    private static void reset(SocketChannel ch) {
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0); // RST: the peer learns at once
        } catch (IOException ignored) {
            // Closing is what matters.
        }
        closeQuietly(ch);
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // The descriptor is released either way.
        }
    }
}
