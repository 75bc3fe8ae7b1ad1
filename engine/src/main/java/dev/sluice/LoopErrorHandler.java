package dev.sluice;

/**
 * Hears about errors the loop survived: a handler that threw (its connection is closed with
 * {@link CloseReason#HANDLER_ERROR}), a task that threw, an accept that failed. Expected network
 * events (peer reset, peer close) are close reasons, not errors, and do not come here.
 *
 * <p>Thread: called on the loop thread only. It must not block; if it throws, the exception is
 * dropped so that the loop keeps running.
 */
@FunctionalInterface
public interface LoopErrorHandler {

    /** Prints one line to standard error. */
    LoopErrorHandler STDERR = (connection, error) ->
            System.err.println("sluice: " + (connection == null ? "loop" : connection) + ": " + error);

    /**
     * Called with the error and, where one is involved, the connection it closed.
     *
     * <p>Thread: event loop only.
     *
     * @param connection the affected connection, or {@code null} for loop-level errors
     * @param error      the error
     */
    void onError(Connection connection, Throwable error);
}
