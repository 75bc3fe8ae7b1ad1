package dev.sluice;

import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The default {@link LoopErrorHandler}: logs through the platform's {@link System.Logger} named
 * {@value #LOGGER_NAME}, so the engine needs no logging dependency and the application decides where it
 * goes (by default {@code java.util.logging}, or SLF4J, Log4j and the rest through their
 * {@link System.LoggerFinder} bridges).
 *
 * <ul>
 *   <li>A peer that went away (an {@link IOException} anywhere in the cause chain saying "Connection
 *       reset", "Broken pipe" or "Connection closed"): {@code DEBUG}, because on a server it is normal
 *       traffic, and the loop already counts it as {@link CloseReason#PEER_RESET}.
 *   <li>A {@link LoopStallException} from the stall watchdog: {@code WARNING}, one line, no stack trace.
 *   <li>Any other {@link IOException} (an accept that failed, a selector that could not close):
 *       {@code WARNING}, with the stack trace.
 *   <li>Everything else (a handler or task that threw): {@code ERROR}, with the stack trace.
 * </ul>
 *
 * <p>Thread: any (the logger is thread-safe; the loop calls it on its own thread).
 */
final class LoggingErrorHandler implements LoopErrorHandler {
    static final String LOGGER_NAME = "dev.sluice";
    /** How deep the cause chain is searched for a peer that went away; chains are short in practice. */
    private static final int MAX_CAUSE_DEPTH = 8;

    private final System.Logger logger;

    LoggingErrorHandler(System.Logger logger) {
        this.logger = logger;
    }

    /**
     * Logs {@code error} at a level that depends on what it is (see the class description).
     *
     * <p>Thread: any.
     *
     * @param connection the affected connection, or {@code null} for loop-level errors
     * @param error      the error
     */
    @Override
    public void onError(Connection connection, Throwable error) {
        String where = connection == null ? "loop" : connection.toString();
        if (isPeerGone(error)) {
            if (logger.isLoggable(Level.DEBUG)) {
                logger.log(Level.DEBUG, "sluice " + where + ": peer went away: " + error);
            }
            return;
        }
        if (error instanceof LoopStallException) {
            logger.log(Level.WARNING, "sluice " + where + ": " + error.getMessage()); // no stack: it is over
            return;
        }
        Level level = error instanceof IOException ? Level.WARNING : Level.ERROR;
        logger.log(level, "sluice " + where + ": " + error, error);
    }

    /**
     * Whether {@code error} says the peer reset or closed the connection. The JDK reports these only
     * through the message of an {@link IOException} (ECONNRESET is "Connection reset" or "Connection
     * reset by peer", EPIPE is "Broken pipe"), so the message is all there is to go on; the engine's
     * internal close-reason mapping reads the same words.
     */
    static boolean isPeerGone(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof IOException && m != null
                    && (m.contains("Connection reset") || m.contains("Broken pipe") || m.contains("Connection closed"))) {
                return true;
            }
        }
        return false;
    }
}
