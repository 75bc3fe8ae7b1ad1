package dev.sluice.internal;

/**
 * Something with callbacks the loop delivers in its last phase ({@code onClose},
 * {@code onWritabilityChanged}), after everything that caused them, so that no callback runs inside the
 * call that caused it.
 *
 * <p>Thread: loop only.
 */
abstract class Deferrable {
    boolean inDeferredList;

    /** Delivers whatever callbacks are due. */
    abstract void deliverDeferred();
}
