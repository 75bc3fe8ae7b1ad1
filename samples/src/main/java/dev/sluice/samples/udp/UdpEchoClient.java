package dev.sluice.samples.udp;

import dev.sluice.CloseReason;
import dev.sluice.DatagramConfig;
import dev.sluice.DatagramEndpoint;
import dev.sluice.DatagramHandler;
import dev.sluice.EventLoop;
import dev.sluice.Scheduled;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a counted run of datagrams to an echo server and counts what comes back. Each datagram carries
 * its sequence number and send time, so the client tells echoes from duplicates and strays and measures
 * round trips (stamped with {@code System.nanoTime()}, not the loop clock, which is read once per
 * iteration and would blur them). At most {@link UdpRunConfig#window()} datagrams are in flight: a new one goes out for
 * each echo, or when an older one is given up as lost after {@link UdpRunConfig#lossTimeoutNs()}. Sent
 * open-loop, a burst larger than the socket buffers would be dropped by the kernel even on loopback;
 * the window keeps the run honest about what the network, not the client, lost.
 *
 * <p>Thread: {@link #run} from any thread; the run itself is on the loop thread.
 */
public final class UdpEchoClient implements DatagramHandler {
    private final EventLoop loop;
    private final InetSocketAddress server;
    private final UdpRunConfig config;
    private final CompletableFuture<UdpReport> done = new CompletableFuture<>();
    private final long[] sentAtNs;
    private final BitSet received;
    private final BitSet givenUp;
    private DatagramEndpoint endpoint;
    private Scheduled lossCheck;
    private long startNs;
    private int next;
    /** The oldest datagram neither echoed nor given up on; everything before it is settled. */
    private int oldest;
    private int inFlight;
    private long sent;
    private long refused;
    private long receivedCount;
    private long duplicates;
    private long malformed;
    private long late;
    private long minRttNs = Long.MAX_VALUE;
    private long maxRttNs;
    private long sumRttNs;

    private UdpEchoClient(EventLoop loop, InetSocketAddress server, UdpRunConfig config) {
        this.loop = loop;
        this.server = server;
        this.config = config;
        this.sentAtNs = new long[config.count()];
        this.received = new BitSet(config.count());
        this.givenUp = new BitSet(config.count());
    }

    /**
     * Binds an ephemeral UDP port on {@code loop} and runs.
     *
     * <p>Thread: any.
     *
     * @param loop   the loop to run on; not closed
     * @param server the echo server
     * @param config what to send
     * @return completes with the report when every datagram is echoed or given up on
     * @throws IOException when no local port can be bound
     */
    public static CompletableFuture<UdpReport> run(EventLoop loop, InetSocketAddress server, UdpRunConfig config)
            throws IOException {
        UdpEchoClient client = new UdpEchoClient(loop, server, config);
        InetSocketAddress local = new InetSocketAddress(server.getAddress().isLoopbackAddress()
                ? server.getAddress() : null, 0);
        DatagramConfig dc = DatagramConfig.defaults().withMaxQueuedDatagrams(Math.max(config.window(), 64));
        client.endpoint = loop.bindDatagram(local, dc, client);
        loop.execute(client::start);
        return client.done;
    }

    private void start() {
        startNs = loop.nowNs();
        lossCheck = loop.schedule(this::checkLosses, checkIntervalNs());
        sendMore();
    }

    private long checkIntervalNs() {
        return Math.max(1_000_000L, config.lossTimeoutNs() / 4);
    }

    private void sendMore() {
        while (inFlight < config.window() && next < config.count()) {
            int seq = next++;
            ByteBuffer d = ByteBuffer.allocate(config.datagramBytes());
            d.putLong(seq).putLong(System.nanoTime());
            while (d.hasRemaining()) {
                d.put((byte) (seq + d.position())); // filler the echo must bring back unchanged
            }
            d.flip();
            sentAtNs[seq] = loop.nowNs();
            if (endpoint.send(d, server)) {
                sent++;
                inFlight++;
            } else {
                refused++;
                givenUp.set(seq);
            }
        }
        finishIfDone();
    }

    @Override
    public void onDatagram(DatagramEndpoint ep, ByteBuffer data, SocketAddress sender) {
        long now = System.nanoTime();
        if (data.remaining() != config.datagramBytes()) {
            malformed++;
            return;
        }
        long seq = data.getLong(data.position());
        if (seq < 0 || seq >= next || !intact(data, (int) seq)) {
            malformed++;
            return;
        }
        int s = (int) seq;
        if (received.get(s)) {
            duplicates++;
            return;
        }
        received.set(s);
        receivedCount++;
        long rtt = now - data.getLong(data.position() + 8);
        minRttNs = Math.min(minRttNs, rtt);
        maxRttNs = Math.max(maxRttNs, rtt);
        sumRttNs += rtt;
        if (givenUp.get(s)) {
            late++; // its window slot was freed when it was given up
        } else {
            inFlight--;
        }
        sendMore();
    }

    private boolean intact(ByteBuffer data, int seq) {
        int base = data.position();
        for (int i = 16; i < config.datagramBytes(); i++) {
            if (data.get(base + i) != (byte) (seq + i)) {
                return false;
            }
        }
        return true;
    }

    /** Gives up on datagrams older than the loss timeout, oldest first, freeing their window slots. */
    private void checkLosses() {
        long now = loop.nowNs();
        while (oldest < next && (received.get(oldest) || givenUp.get(oldest)
                || sentAtNs[oldest] + config.lossTimeoutNs() - now <= 0)) {
            if (!received.get(oldest) && !givenUp.get(oldest)) {
                givenUp.set(oldest);
                inFlight--;
            }
            oldest++;
        }
        if (!done.isDone()) {
            lossCheck = loop.schedule(this::checkLosses, checkIntervalNs());
        }
        sendMore();
    }

    private void finishIfDone() {
        if (next < config.count() || inFlight > 0 || done.isDone()) {
            return;
        }
        lossCheck.cancel();
        endpoint.close();
        long n = Math.max(receivedCount, 1);
        done.complete(new UdpReport(sent, refused, receivedCount, duplicates, malformed, late,
                receivedCount == 0 ? 0 : minRttNs, sumRttNs / n, maxRttNs, loop.nowNs() - startNs));
    }

    @Override
    public void onClose(DatagramEndpoint ep, CloseReason reason, Throwable cause) {
        if (!done.isDone()) {
            done.completeExceptionally(new IOException("the UDP socket closed: " + reason
                    + (cause == null ? "" : ": " + cause.getMessage()), cause));
        }
    }
}
