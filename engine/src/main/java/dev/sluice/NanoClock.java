package dev.sluice;

/**
 * A monotonic nanosecond clock. The loop reads it once per iteration and passes that value down, so
 * every deadline decision in one iteration sees the same "now".
 *
 * <p>Thread: any; implementations must be safe to call from the loop thread.
 */
@FunctionalInterface
public interface NanoClock {

    /** The system clock, {@link System#nanoTime()}. */
    NanoClock SYSTEM = System::nanoTime;

    /**
     * Current time in nanoseconds. Only differences between values are meaningful.
     *
     * <p>Thread: any.
     *
     * @return the current time in nanoseconds
     */
    long nanoTime();
}
