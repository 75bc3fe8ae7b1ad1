package dev.sluice.samples.chat;

/**
 * A snapshot of a {@link ChatServer}'s counters.
 *
 * <p>Thread: any (immutable).
 *
 * @param clients            clients connected now
 * @param joined             clients that ever joined
 * @param left               clients that left, for any reason
 * @param messages           chat lines received (not commands)
 * @param delivered          messages and notices queued to a client
 * @param dropped            messages and notices not queued because their client was lagging
 *                           (its output above the high watermark)
 * @param stalledDisconnects clients disconnected for lagging longer than the stall timeout
 * @param tooLongDisconnects clients disconnected for sending a line over the limit
 * @param pingsSent          {@code /ping} lines sent to clients that had been quiet for the heartbeat interval
 * @param heartbeatDisconnects clients disconnected for leaving {@link ChatConfig#heartbeatMisses()} pings
 *                           in a row unanswered
 */
public record ChatStats(long clients, long joined, long left, long messages, long delivered, long dropped,
                        long stalledDisconnects, long tooLongDisconnects, long pingsSent,
                        long heartbeatDisconnects) {

    @Override
    public String toString() {
        return clients + " connected, " + joined + " joined, " + left + " left, " + messages + " messages, "
                + delivered + " deliveries, " + dropped + " dropped for lagging clients, "
                + stalledDisconnects + " stalled clients disconnected, " + tooLongDisconnects
                + " disconnected for long lines, " + pingsSent + " pings, " + heartbeatDisconnects
                + " disconnected for missing them";
    }
}
