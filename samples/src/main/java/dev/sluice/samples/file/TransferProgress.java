package dev.sluice.samples.file;

/**
 * A transfer under way, as the progress bar sees it.
 *
 * <p>Thread: the transfer's loop thread only.
 */
interface TransferProgress {
    /** @return the file name, or {@code null} before the header is known */
    String name();

    /** @return body bytes done so far */
    long doneBytes();

    /** @return the body's size, or -1 before the header is known */
    long totalBytes();
}
