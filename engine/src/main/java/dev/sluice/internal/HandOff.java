package dev.sluice.internal;

import java.nio.channels.SocketChannel;

/**
 * Where a listener sends the channels it accepts when it does not serve them on its own loop: a
 * group's acceptor gives each one to the loop with the fewest open connections.
 *
 * <p>Thread: the acceptor loop's thread.
 */
public interface HandOff {

    /**
     * Takes {@code channel} (accepted, still blocking) to serve it elsewhere, or refuses it.
     *
     * @param channel the accepted channel
     * @return {@code true} when taken: it is the hand-off's from now on; {@code false} when refused: it
     *         is still the caller's, which resets it and counts it as rejected
     */
    boolean offer(SocketChannel channel);
}
