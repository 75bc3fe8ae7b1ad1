package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.Connection;

/**
 * Closing a connection at once with a reason the engine defines, for the engine's public helpers that
 * live outside this package ({@link dev.sluice.Heartbeat} and its
 * {@link CloseReason#HEARTBEAT_TIMEOUT}). Not API: handlers close with {@code close()} or
 * {@code abort()}, whose reason is {@link CloseReason#LOCAL}.
 *
 * <p>Thread: loop only.
 */
public final class Closes {
    private Closes() {
    }

    /**
     * Thread: {@code c}'s loop only. Closes {@code c} at once, as a timeout does: pending output is dropped,
     * {@code onClose} follows in the deferred phase, and the first reason rule holds (a close already under
     * way keeps its reason).
     *
     * @param c      the connection
     * @param reason the reason {@code onClose} and {@code LoopStats.closes} report
     * @param cause  the cause, or {@code null}
     * @return whether it was an engine connection (it is closed now); {@code false} for any other
     *         {@link Connection} implementation, which is left alone
     */
    public static boolean closeNow(Connection c, CloseReason reason, Throwable cause) {
        if (!(c instanceof SocketConnection)) {
            return false;
        }
        SocketConnection sc = (SocketConnection) c;
        sc.isOpen(); // the loop-thread check: throws IllegalStateException on any other thread
        sc.life.closeNow(reason, cause);
        return true;
    }
}
