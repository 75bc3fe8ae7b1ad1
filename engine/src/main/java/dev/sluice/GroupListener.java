package dev.sluice;

import dev.sluice.internal.GroupHandOff;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * One listening address served by every loop of an {@link EventLoopGroup}: either a socket per loop
 * ({@link GroupListenMode#REUSE_PORT}) or one acceptor handing connections off
 * ({@link GroupListenMode#HAND_OFF}). The counts are summed over the loops; {@link #acceptedOn(int)}
 * says how the connections were spread.
 *
 * <p>Thread: any for every method; the counts are eventually consistent snapshots.
 */
public final class GroupListener implements Listener {
    private final GroupListenMode mode;
    private final String fallbackReason;
    /** REUSE_PORT: one per loop, by index. HAND_OFF: the acceptor alone. */
    private final List<Listener> sockets;
    private final GroupHandOff handOff;

    GroupListener(GroupListenMode mode, String fallbackReason, List<Listener> sockets, GroupHandOff handOff) {
        this.mode = mode;
        this.fallbackReason = fallbackReason;
        this.sockets = List.copyOf(sockets);
        this.handOff = handOff;
    }

    /**
     * The mode in effect: the one asked for, or {@link GroupListenMode#HAND_OFF} when
     * {@code SO_REUSEPORT} was asked for and is not supported here.
     *
     * <p>Thread: any.
     *
     * @return the mode
     */
    public GroupListenMode mode() {
        return mode;
    }

    /**
     * Why the mode in effect is not the one asked for.
     *
     * <p>Thread: any.
     *
     * @return the reason, or empty when the group uses the mode asked for
     */
    public Optional<String> fallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    /**
     * Connections accepted for loop {@code i}: by its own socket ({@link GroupListenMode#REUSE_PORT}) or
     * handed to it by the acceptor ({@link GroupListenMode#HAND_OFF}).
     *
     * <p>Thread: any.
     *
     * @param i the loop's index, {@code 0..size-1}
     * @return the count
     */
    public long acceptedOn(int i) {
        return handOff != null ? handOff.handedTo(i) : sockets.get(i).acceptedCount();
    }

    @Override
    public InetSocketAddress localAddress() {
        return sockets.get(0).localAddress();
    }

    @Override
    public long acceptedCount() {
        long n = 0;
        for (Listener l : sockets) {
            n += l.acceptedCount();
        }
        return n;
    }

    @Override
    public long rejectedCount() {
        long n = 0;
        for (Listener l : sockets) {
            n += l.rejectedCount();
        }
        return n;
    }

    @Override
    public long acceptErrorCount() {
        long n = 0;
        for (Listener l : sockets) {
            n += l.acceptErrorCount();
        }
        return n;
    }

    @Override
    public int openConnections() {
        if (handOff != null) {
            return handOff.openConnections();
        }
        int n = 0;
        for (Listener l : sockets) {
            n += l.openConnections();
        }
        return n;
    }

    /**
     * Closes every listening socket of this address (each on its loop); open connections stay open.
     *
     * <p>Thread: any. A loop whose queue is full does not keep the others' sockets open: all are
     * asked, then the first {@link java.util.concurrent.RejectedExecutionException} is thrown.
     */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Listener l : sockets) {
            try {
                l.close();
            } catch (RuntimeException e) { // a full queue on one loop must not keep the others open
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "GroupListener" + localAddress() + "(" + mode + ", " + sockets.size() + " socket(s))";
    }
}
