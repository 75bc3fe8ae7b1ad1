package dev.sluice.samples;

/**
 * A failure to report as one line, without a stack trace, and exit with a non-zero status.
 *
 * <p>Thread: any.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Thread: any.
     *
     * @param message the line to print, saying what failed and why
     */
    public CliException(String message) {
        super(message);
    }

    /**
     * Thread: any.
     *
     * @param message the line to print
     * @param cause   the original exception, kept for debugging ({@code SLUICE_DEBUG=1})
     */
    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
