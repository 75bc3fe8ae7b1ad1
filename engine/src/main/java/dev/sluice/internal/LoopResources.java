package dev.sluice.internal;

import dev.sluice.Connection;
import dev.sluice.ConnectionConfig;
import dev.sluice.ConnectionHandler;
import dev.sluice.DatagramConfig;
import dev.sluice.DatagramEndpoint;
import dev.sluice.DatagramHandler;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.Scheduled;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * What a loop opens on a caller's behalf: listeners and datagram endpoints (bound on the caller's
 * thread, so a bind error and port 0's real port are known at once, then registered on the loop),
 * outbound connections (created now, connected on the loop) and scheduled tasks. A loop that is
 * shutting down or closed opens nothing: the call throws and no socket is left bound.
 *
 * <p>Thread: any.
 */
public final class LoopResources {
    private final Loop loop;

    LoopResources(Loop loop) {
        this.loop = loop;
    }

    /**
     * Binds now (so the port is known at once) and registers on the loop. Thread: any.
     *
     * @param address where to listen
     * @param config  listener configuration
     * @param factory one handler per accepted connection
     * @return the listener
     * @throws IOException when binding fails
     * @throws IllegalStateException when the loop is shutting down or closed: nothing is bound then
     */
    public Listener listen(InetSocketAddress address, ListenerConfig config,
                           Supplier<? extends ConnectionHandler> factory) throws IOException {
        return listen(address, config, factory, false, null);
    }

    /**
     * {@link #listen(InetSocketAddress, ListenerConfig, Supplier)} for a loop group. Thread: any.
     *
     * @param address   where to listen
     * @param config    listener configuration
     * @param factory   one handler per connection served on this loop (unused with a hand-off)
     * @param reusePort set {@code SO_REUSEPORT} before binding, so other loops can bind the same port
     * @param handOff   where accepted channels go instead of this loop, or {@code null}
     * @return the listener
     * @throws IOException when binding fails
     * @throws IllegalStateException when the loop is shutting down or closed: nothing is bound then
     */
    public Listener listen(InetSocketAddress address, ListenerConfig config,
                           Supplier<? extends ConnectionHandler> factory, boolean reusePort, HandOff handOff)
            throws IOException {
        requireAcceptingNewWork("listen");
        ServerListener l = new ServerListener(loop, address, config, factory, reusePort, handOff);
        loop.thread.runOrUndo(() -> {
            if (!loop.acceptsNewWork()) {
                l.abandon();
                return;
            }
            try {
                l.register();
                loop.registry.add(l);
            } catch (IOException e) {
                loop.report(null, e);
                l.close();
            }
        }, l::abandon);
        return l;
    }

    /**
     * Binds a datagram channel now and registers it on the loop. Thread: any.
     *
     * @param address where to bind
     * @param config  datagram limits
     * @param handler receives datagrams
     * @return the endpoint
     * @throws IOException when binding fails
     * @throws IllegalStateException when the loop is shutting down or closed: nothing is bound then
     */
    public DatagramEndpoint bindDatagram(InetSocketAddress address, DatagramConfig config,
                                         DatagramHandler handler) throws IOException {
        requireAcceptingNewWork("bindDatagram");
        DatagramEndpointImpl e = new DatagramEndpointImpl(loop, address, config, handler);
        loop.thread.runOrUndo(() -> {
            if (!loop.acceptsNewWork()) {
                e.abandon();
                return;
            }
            e.register();
        }, e::abandon);
        return e;
    }

    private void requireAcceptingNewWork(String what) {
        if (!loop.acceptsNewWork()) {
            throw new IllegalStateException(what + ": event loop " + loop.config.name() + " is " + loop.describeState());
        }
    }

    /**
     * Creates the connection object now; opening and connecting happen on the loop. Thread: any.
     *
     * @param address the peer (must be resolved; resolving blocks, so do it off the loop)
     * @param config  connection configuration
     * @param handler the handler
     * @return the connection, in the connecting state
     */
    public Connection connect(InetSocketAddress address, ConnectionConfig config, ConnectionHandler handler) {
        if (address == null || config == null || handler == null) {
            throw new NullPointerException("connect needs an address, a config and a handler");
        }
        SocketConnection c = new SocketConnection(loop, config, handler, null);
        // Always through the queue, even on the loop thread: a connect that completes at once must not
        // call onOpen inside this call.
        loop.thread.execute(() -> c.startConnect(address, loop.nowNs()));
        return c;
    }

    /**
     * Runs {@code task} once at the loop's now + {@code delayNs}. Thread: any.
     *
     * @param task    the task
     * @param delayNs delay in nanoseconds, at least 0
     * @return a handle to cancel it
     */
    public Scheduled schedule(Runnable task, long delayNs) {
        if (delayNs < 0 || delayNs >= Deadlines.MAX_DISTANCE_NS) {
            throw new IllegalArgumentException("delay must be 0..2^62 ns: " + delayNs);
        }
        ScheduledTask st = new ScheduledTask(loop, task);
        Runnable arm = () -> {
            if (!st.cancelled) {
                loop.timers.schedule(st, loop.nowNs() + delayNs);
            }
        };
        if (loop.inLoop()) {
            arm.run();
        } else {
            loop.thread.execute(arm);
        }
        return st;
    }
}
