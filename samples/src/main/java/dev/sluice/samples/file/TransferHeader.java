package dev.sluice.samples.file;

/**
 * What a transfer's header announces.
 *
 * <p>Thread: any (immutable).
 *
 * @param name the file name as sent (not yet checked for safety)
 * @param size the body's length in bytes
 */
record TransferHeader(String name, long size) {
}
