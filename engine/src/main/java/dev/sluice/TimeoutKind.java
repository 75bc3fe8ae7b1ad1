package dev.sluice;

/**
 * Which deadline fired. Passed to {@link ConnectionHandler#onTimeout(Connection, TimeoutKind)}, which
 * may keep the connection open (to send a heartbeat, say) instead of letting it close.
 *
 * <p>Thread: any (immutable).
 */
public enum TimeoutKind {
    /** Nothing was read for {@link ConnectionConfig#readIdleTimeoutNs()}. Closes with {@link CloseReason#IDLE_TIMEOUT}. */
    READ_IDLE(CloseReason.IDLE_TIMEOUT),
    /** Pending output made no progress for {@link ConnectionConfig#writeTimeoutNs()}. Closes with {@link CloseReason#WRITE_TIMEOUT}. */
    WRITE_STALL(CloseReason.WRITE_TIMEOUT),
    /** The absolute deadline passed. Closes with {@link CloseReason#DEADLINE_EXCEEDED}. */
    DEADLINE(CloseReason.DEADLINE_EXCEEDED);

    private final CloseReason closeReason;

    TimeoutKind(CloseReason closeReason) {
        this.closeReason = closeReason;
    }

    /**
     * The reason a connection closes with when this timeout is not overridden.
     *
     * <p>Thread: any.
     *
     * @return the close reason
     */
    public CloseReason closeReason() {
        return closeReason;
    }
}
