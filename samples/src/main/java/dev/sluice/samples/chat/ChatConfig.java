package dev.sluice.samples.chat;

import java.net.InetSocketAddress;

/**
 * How a {@link ChatServer} listens and how it treats slow clients.
 *
 * <p>Thread: any (immutable).
 *
 * @param bindAddress        where to listen; port 0 picks a free one
 * @param maxLineBytes       longest line a client may send, without its terminator; a longer one
 *                           disconnects the client (counted in {@link ChatStats#tooLongDisconnects()})
 * @param maxClients         clients connected at once; more are refused by the listener
 * @param highWatermarkBytes output queued for one client above which it counts as lagging: messages
 *                           for it are dropped (counted) until it drains to {@code lowWatermarkBytes}
 * @param lowWatermarkBytes  output queued for a lagging client at which it receives again
 * @param stallTimeoutNs     a client lagging this long without draining, or whose queued output makes
 *                           no progress for this long, is disconnected (counted in
 *                           {@link ChatStats#stalledDisconnects()})
 * @param socketBufferBytes  {@code SO_SNDBUF} and {@code SO_RCVBUF} of client connections, 0 for the
 *                           system default (tests make them small to reach backpressure quickly)
 * @param heartbeatIntervalNs a client that sends nothing for this long is sent a {@code /ping} line
 *                           (it answers {@code /pong}, or anything else); 0 turns heartbeats off
 * @param heartbeatMisses    pings in a row without an answer after which the client is disconnected
 *                           (counted in {@link ChatStats#heartbeatDisconnects()}): after
 *                           {@code heartbeatIntervalNs × heartbeatMisses} from the first ping
 */
public record ChatConfig(InetSocketAddress bindAddress, int maxLineBytes, int maxClients,
                         int highWatermarkBytes, int lowWatermarkBytes, long stallTimeoutNs,
                         int socketBufferBytes, long heartbeatIntervalNs, int heartbeatMisses) {

    /** The longest nick. */
    public static final int MAX_NICK_CHARS = 24;

    /**
     * Validates every field.
     *
     * @param bindAddress        see the record description
     * @param maxLineBytes       see the record description
     * @param maxClients         see the record description
     * @param highWatermarkBytes see the record description
     * @param lowWatermarkBytes  see the record description
     * @param stallTimeoutNs     see the record description
     * @param socketBufferBytes  see the record description
     * @param heartbeatIntervalNs see the record description
     * @param heartbeatMisses    see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public ChatConfig {
        if (bindAddress == null) {
            throw new IllegalArgumentException("bindAddress is required");
        }
        if (maxLineBytes < 16 || maxLineBytes > 1024 * 1024) {
            throw new IllegalArgumentException("max line must be 16..1048576 bytes: " + maxLineBytes);
        }
        if (maxClients <= 0) {
            throw new IllegalArgumentException("max clients must be > 0: " + maxClients);
        }
        if (lowWatermarkBytes < 0 || lowWatermarkBytes >= highWatermarkBytes) {
            throw new IllegalArgumentException("need 0 <= low < high watermark, got " + lowWatermarkBytes
                    + " and " + highWatermarkBytes);
        }
        if (stallTimeoutNs <= 0) {
            throw new IllegalArgumentException("stall timeout must be > 0: " + stallTimeoutNs + " ns");
        }
        if (socketBufferBytes < 0) {
            throw new IllegalArgumentException("socket buffer size must be >= 0 (0 = default)");
        }
        if (heartbeatIntervalNs < 0 || heartbeatMisses < 1) {
            throw new IllegalArgumentException("need heartbeat interval >= 0 (0 = off) and misses >= 1, got "
                    + heartbeatIntervalNs + " ns and " + heartbeatMisses);
        }
    }

    /**
     * Thread: any.
     * 127.0.0.1:7100, lines up to 1 KiB, 1000 clients, lagging above 64 KiB queued and back at 16 KiB,
     * disconnected after lagging for 10 s, system socket buffers, a {@code /ping} after 10 s of silence
     * and a disconnect after 3 of them go unanswered (a dead client goes 40 s after its last line: 10 s
     * of silence, then 30 s of pings; TCP alone might not notice it for hours).
     *
     * @return the defaults
     */
    public static ChatConfig defaults() {
        return new ChatConfig(new InetSocketAddress("127.0.0.1", 7100), 1024, 1000,
                64 * 1024, 16 * 1024, 10_000_000_000L, 0, 10_000_000_000L, 3);
    }

    /**
     * Thread: any.
     *
     * @param address where to listen
     * @return a copy with this address
     */
    public ChatConfig withBindAddress(InetSocketAddress address) {
        return new ChatConfig(address, maxLineBytes, maxClients, highWatermarkBytes, lowWatermarkBytes,
                stallTimeoutNs, socketBufferBytes, heartbeatIntervalNs, heartbeatMisses);
    }

    /**
     * Thread: any.
     *
     * @param bytes longest line
     * @return a copy with this limit
     */
    public ChatConfig withMaxLineBytes(int bytes) {
        return new ChatConfig(bindAddress, bytes, maxClients, highWatermarkBytes, lowWatermarkBytes,
                stallTimeoutNs, socketBufferBytes, heartbeatIntervalNs, heartbeatMisses);
    }

    /**
     * Thread: any.
     *
     * @param n clients at once
     * @return a copy with this limit
     */
    public ChatConfig withMaxClients(int n) {
        return new ChatConfig(bindAddress, maxLineBytes, n, highWatermarkBytes, lowWatermarkBytes,
                stallTimeoutNs, socketBufferBytes, heartbeatIntervalNs, heartbeatMisses);
    }

    /**
     * Thread: any.
     *
     * @param highBytes lagging above this
     * @param lowBytes  receiving again at this
     * @return a copy with these watermarks
     */
    public ChatConfig withWatermarks(int highBytes, int lowBytes) {
        return new ChatConfig(bindAddress, maxLineBytes, maxClients, highBytes, lowBytes, stallTimeoutNs,
                socketBufferBytes, heartbeatIntervalNs, heartbeatMisses);
    }

    /**
     * Thread: any.
     *
     * @param nanos how long a client may lag before it is disconnected
     * @return a copy with this timeout
     */
    public ChatConfig withStallTimeoutNs(long nanos) {
        return new ChatConfig(bindAddress, maxLineBytes, maxClients, highWatermarkBytes, lowWatermarkBytes,
                nanos, socketBufferBytes, heartbeatIntervalNs, heartbeatMisses);
    }

    /**
     * Thread: any.
     *
     * @param bytes socket buffer sizes, 0 for the system default
     * @return a copy with these buffer sizes
     */
    public ChatConfig withSocketBufferBytes(int bytes) {
        return new ChatConfig(bindAddress, maxLineBytes, maxClients, highWatermarkBytes, lowWatermarkBytes,
                stallTimeoutNs, bytes, heartbeatIntervalNs, heartbeatMisses);
    }

    /**
     * Thread: any.
     *
     * @param intervalNs silence after which a client is pinged, 0 for no heartbeats
     * @param misses     unanswered pings in a row after which it is disconnected
     * @return a copy with these heartbeats
     */
    public ChatConfig withHeartbeat(long intervalNs, int misses) {
        return new ChatConfig(bindAddress, maxLineBytes, maxClients, highWatermarkBytes, lowWatermarkBytes,
                stallTimeoutNs, socketBufferBytes, intervalNs, misses);
    }

    /**
     * Thread: any.
     * The most output one client can have queued: the high watermark plus one message, because the
     * check happens before a write and one message may cross it. The server's memory for queued
     * output is at most this times the number of clients.
     *
     * @return bytes
     */
    public long maxQueuedPerClientBytes() {
        return highWatermarkBytes + ChatRoom.maxMessageBytes(maxLineBytes);
    }
}
