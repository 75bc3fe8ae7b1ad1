package dev.sluice.samples.chat;

import dev.sluice.ConnectionConfig;
import dev.sluice.EventLoop;
import dev.sluice.Listener;
import dev.sluice.ListenerConfig;
import dev.sluice.LoopConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A line-based broadcast chat on one event loop. Each line a client sends goes to every other client
 * as {@code <nick> line}; lines starting with {@code /} are commands: {@code /nick NAME},
 * {@code /who}, {@code /quit}. Joins, leaves and nick changes are announced as {@code *** ...}
 * notices. Clients start as {@code guestN}.
 *
 * <p><b>Slow clients: drop, then disconnect.</b> A client that does not read cannot be allowed to
 * slow the others down or to make the server buffer without bound. Delivery never waits for a client:
 * while a client's queued output is above the high watermark (it is <i>lagging</i>), messages for it
 * are dropped and counted in {@link ChatStats#dropped()}, and when it drains to the low watermark it is
 * told how many it missed. A client that stays lagging for {@link ChatConfig#stallTimeoutNs()}, or
 * whose queued output makes no progress for that long (lagging or not), is disconnected, counted in
 * {@link ChatStats#stalledDisconnects()}, and the others see it leave "not reading". So queued output per client never exceeds {@link ChatConfig#maxQueuedPerClientBytes()} (the
 * engine's hard cap is set above that as a safety net), and the others never wait: a broadcast is one
 * copy into each writable client's output, and the loop writes to each socket as it has room.
 * Reading from a lagging client pauses too (the engine's default), so it cannot talk while it is not
 * listening.
 *
 * <p>Lines longer than {@link ChatConfig#maxLineBytes()} disconnect the sender with a notice.
 *
 * <p><b>Quiet clients: ping, then disconnect.</b> A client that has sent nothing for
 * {@link ChatConfig#heartbeatIntervalNs()} is sent a {@code /ping} line, and again after each further
 * interval of silence; any line it sends (a {@code /pong} from {@code chat-client}) is the answer. After
 * {@link ChatConfig#heartbeatMisses()} unanswered pings it is disconnected ({@link ChatStats#heartbeatDisconnects()}),
 * and the others see it leave "not answering pings". That is how the server learns of a client whose
 * host vanished without a FIN or RST: TCP tells a silent server nothing.
 *
 * <p>Thread: {@link #start} and the accessors from any thread; the room runs on the loop thread.
 */
public final class ChatServer implements AutoCloseable {
    private final EventLoop loop;
    private final boolean ownsLoop;
    private final Listener listener;
    private final ChatRoom room;
    private final CountDownLatch closed = new CountDownLatch(1);

    private ChatServer(EventLoop loop, boolean ownsLoop, ChatConfig config) throws IOException {
        this.loop = loop;
        this.ownsLoop = ownsLoop;
        this.room = new ChatRoom(config);
        ConnectionConfig cc = ConnectionConfig.defaults()
                .withWatermarks(config.highWatermarkBytes(), config.lowWatermarkBytes())
                .withMaxPendingOutputBytes(2 * config.maxQueuedPerClientBytes())
                .withSocketBuffers(config.socketBufferBytes(), config.socketBufferBytes())
                .withReadIdleTimeoutNs(config.heartbeatIntervalNs()); // the heartbeat's clock; 0 = off
        ListenerConfig lc = ListenerConfig.defaults().withMaxConnections(config.maxClients())
                .withConnectionConfig(cc);
        this.listener = loop.listen(config.bindAddress(), lc, () -> new ChatSession(room));
    }

    /**
     * Thread: any.
     * Starts a chat server on its own loop thread.
     *
     * @param config the configuration
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static ChatServer start(ChatConfig config) throws IOException {
        EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("chat-server"));
        try {
            return new ChatServer(loop, true, config);
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    /**
     * Thread: any.
     * Starts a chat server on an existing loop, which it does not close.
     *
     * @param loop   the loop to run on
     * @param config the configuration
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static ChatServer start(EventLoop loop, ChatConfig config) throws IOException {
        return new ChatServer(loop, false, config);
    }

    /**
     * Thread: any.
     *
     * @return the bound address, with the real port
     */
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    /**
     * Thread: any.
     *
     * @return the chat counters now
     */
    public ChatStats stats() {
        return room.stats();
    }

    /**
     * Thread: any.
     *
     * @return the loop the server runs on (its {@code stats()} show the queued output)
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Stops accepting and disconnects every client: a "server shutting down" notice and a graceful
     * close, or an abort for a lagging client. With its own loop, waits (at most about 3 s) for the
     * loop to end; on a shared loop returns once the closes are under way.
     *
     * <p>Thread: any but the loop's. Idempotent.
     */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        listener.close();
        if (!loop.isTerminated()) {
            try {
                loop.execute(room::shutdown);
            } catch (IllegalStateException ended) {
                // The loop closed on its own; its connections are gone with it.
            }
        }
        if (ownsLoop) {
            loop.shutdownGracefully(TimeUnit.SECONDS.toNanos(2));
            if (!loop.awaitTermination(TimeUnit.SECONDS.toNanos(3))) {
                loop.close();
            }
        }
    }
}
