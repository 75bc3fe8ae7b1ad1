package dev.sluice;

/**
 * What the loop's stall watchdog reports through the {@link LoopErrorHandler}: one loop iteration, or
 * one callback within it, ran for at least {@link LoopConfig#stallThresholdNs()}. Every connection on
 * the loop waited that long, which users otherwise find only as latency spikes. It carries no stack
 * trace (the stall is over when it is reported; the culprit is named instead), and the default error
 * handler logs it as a warning. Counted in {@link LoopStats#loopStalls()}.
 *
 * <p>Thread: any (immutable).
 */
public final class LoopStallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How long the iteration or callback ran, in nanoseconds of the loop clock. */
    private final long stalledNs;
    /** The threshold it reached, in nanoseconds. */
    private final long thresholdNs;
    /** The handler whose callback ran, or {@code null}; not serialized. */
    private final transient Class<?> handlerClass;

    /**
     * Thread: any.
     * Creates the report.
     *
     * @param where        what ran: the iteration, or the callback and its connection
     * @param stalledNs    how long it ran, on the loop clock
     * @param thresholdNs  the threshold it reached
     * @param handlerClass the handler whose callback ran, or {@code null} for a whole iteration
     */
    public LoopStallException(String where, long stalledNs, long thresholdNs, Class<?> handlerClass) {
        super(where + " ran " + stalledNs / 1_000_000 + " ms, over the stall threshold of "
                + thresholdNs / 1_000_000 + " ms" + (handlerClass == null ? "" : " (handler " + handlerClass.getName() + ")"),
                null, false, false);
        this.stalledNs = stalledNs;
        this.thresholdNs = thresholdNs;
        this.handlerClass = handlerClass;
    }

    /**
     * Thread: any.
     * How long the iteration or callback ran.
     *
     * @return nanoseconds of the loop clock
     */
    public long stalledNs() {
        return stalledNs;
    }

    /**
     * Thread: any.
     * The threshold it reached.
     *
     * @return nanoseconds
     */
    public long thresholdNs() {
        return thresholdNs;
    }

    /**
     * Thread: any.
     * The handler whose callback stalled the loop.
     *
     * @return its class, or {@code null} when the report is for a whole iteration
     */
    public Class<?> handlerClass() {
        return handlerClass;
    }
}
