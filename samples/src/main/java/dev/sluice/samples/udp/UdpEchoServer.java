package dev.sluice.samples.udp;

import dev.sluice.CloseReason;
import dev.sluice.DatagramConfig;
import dev.sluice.DatagramEndpoint;
import dev.sluice.DatagramHandler;
import dev.sluice.EventLoop;
import dev.sluice.LoopConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends every datagram back to where it came from, on a UDP socket registered with an event loop
 * ({@link EventLoop#bindDatagram}) like any TCP connection.
 *
 * <p>Each echo copies the datagram into a new heap buffer, because the received bytes live in the
 * loop's shared read buffer and {@link DatagramEndpoint#send} keeps the buffer it is given if the
 * socket's send buffer is full. Datagrams larger than {@link DatagramConfig#maxDatagramBytes()} are
 * dropped and counted by the engine, not echoed cut short; so are echoes refused because the send
 * queue is full. Counts: {@link #receivedCount()}, {@link #echoedCount()}, {@link #droppedCount()}.
 *
 * <p>Thread: {@link #start} and the accessors from any thread; echoing runs on the loop thread.
 */
public final class UdpEchoServer implements AutoCloseable {
    private final EventLoop loop;
    private final boolean ownsLoop;
    private final DatagramEndpoint endpoint;
    private final CountDownLatch closed = new CountDownLatch(1);

    private UdpEchoServer(EventLoop loop, boolean ownsLoop, InetSocketAddress address, DatagramConfig config)
            throws IOException {
        this.loop = loop;
        this.ownsLoop = ownsLoop;
        this.endpoint = loop.bindDatagram(address, config, new DatagramHandler() {
            @Override
            public void onDatagram(DatagramEndpoint ep, ByteBuffer data, SocketAddress sender) {
                ep.send(ByteBuffer.allocate(data.remaining()).put(data).flip(), sender);
            }

            @Override
            public void onClose(DatagramEndpoint ep, CloseReason reason, Throwable cause) {
                closed.countDown();
            }
        });
    }

    /**
     * Thread: any.
     * Starts an echo server on its own loop thread.
     *
     * @param address where to bind; port 0 picks a free one
     * @param config  datagram size and queue limits
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static UdpEchoServer start(InetSocketAddress address, DatagramConfig config) throws IOException {
        EventLoop loop = EventLoop.start(LoopConfig.defaults().withName("udp-echo-server"));
        try {
            return new UdpEchoServer(loop, true, address, config);
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    /**
     * Thread: any.
     * Starts an echo server on an existing loop, which it does not close.
     *
     * @param loop    the loop
     * @param address where to bind; port 0 picks a free one
     * @param config  datagram size and queue limits
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static UdpEchoServer start(EventLoop loop, InetSocketAddress address, DatagramConfig config)
            throws IOException {
        return new UdpEchoServer(loop, false, address, config);
    }

    /**
     * Thread: any.
     *
     * @return the bound address with the real port
     */
    public InetSocketAddress address() {
        return endpoint.localAddress();
    }

    /**
     * Thread: any.
     *
     * @return datagrams received (and so echoed or dropped)
     */
    public long receivedCount() {
        return endpoint.receivedCount();
    }

    /**
     * Thread: any.
     *
     * @return echoes handed to the kernel
     */
    public long echoedCount() {
        return endpoint.sentCount();
    }

    /**
     * Thread: any.
     *
     * @return datagrams dropped: oversize on receive, or echoes refused by a full send queue
     */
    public long droppedCount() {
        return endpoint.droppedCount();
    }

    /**
     * Thread: any.
     *
     * @return the loop the server runs on (its {@code stats()} count the datagrams)
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Closes the socket; with its own loop, also ends the loop.
     *
     * <p>Thread: any but the loop's. Idempotent.
     */
    @Override
    public void close() {
        if (loop.isTerminated()) {
            return; // the loop closed the socket when it ended
        }
        endpoint.close();
        try {
            closed.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsLoop) {
            loop.close();
        }
    }
}
