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

    /**
     * The default ({@link LoopConfig#defaults()}): logs through the {@link System.Logger} named
     * {@code dev.sluice}, with the stack trace, at {@code ERROR} for a handler or task that threw and
     * {@code WARNING} for other I/O errors; a peer that reset or closed the connection is at most a
     * {@code DEBUG} line, never an error. With no logging configured the JDK's backend is
     * {@code java.util.logging}, which prints {@code WARNING} and above to standard error.
     */
    LoopErrorHandler LOG = new LoggingErrorHandler(System.getLogger(LoggingErrorHandler.LOGGER_NAME));

    /**
     * Prints one line to standard error, without the stack trace.
     *
     * @deprecated a line without its stack trace hides where the error came from; use {@link #LOG}
     *             (the default), which goes wherever the application's logging goes.
     */
    @Deprecated(since = "0.1.0")
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
