package dev.sluice.internal;

/**
 * Where an accepted connection came from, told when it opens on its loop and when it closes, so the
 * source can keep its open count: a listener on the same loop, or a group's hand-off on another.
 *
 * <p>Thread: both calls on the loop thread that owns the connection. An implementation shared by
 * connections on several loops must make its count thread-safe.
 */
interface ConnectionSource {

    /** For a channel adopted with {@code EventLoop.adopt}: no listener keeps count of it. */
    ConnectionSource NONE = new ConnectionSource() {
        @Override
        public void connectionOpened() {
        }

        @Override
        public void connectionClosed() {
        }
    };

    /** The connection is registered on its loop; called once. */
    void connectionOpened();

    /** The connection closed, after {@link #connectionOpened()}; called once. */
    void connectionClosed();
}
