package dev.sluice.samples.file;

/**
 * The peer sent something that is not the transfer protocol.
 *
 * <p>Thread: any.
 */
final class MalformedTransferException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedTransferException(String message) {
        super(message);
    }
}
