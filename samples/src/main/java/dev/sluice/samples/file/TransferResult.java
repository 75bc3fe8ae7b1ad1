package dev.sluice.samples.file;

import java.util.Locale;

/**
 * How one transfer ended, on either side.
 *
 * <p>Thread: any (immutable).
 *
 * @param name      the file name ({@code ?} if the header never arrived)
 * @param size      the size the header announced, or -1 if unknown
 * @param bytes     body bytes transferred: for a receiver, written to disk; for a sender, handed to the
 *                  kernel, or once the connection is gone, queued for it
 * @param crc32c    the body's CRC32C when {@code ok}, else 0
 * @param ok        whether the file arrived whole, verified and in place
 * @param message   why it failed, or {@code null}
 * @param elapsedNs how long the transfer took
 */
public record TransferResult(String name, long size, long bytes, int crc32c, boolean ok, String message,
                             long elapsedNs) {

    static TransferResult succeeded(String name, long size, int crc32c, long elapsedNs) {
        return new TransferResult(name, size, size, crc32c, true, null, elapsedNs);
    }

    static TransferResult failed(String name, long size, long bytes, String message, long elapsedNs) {
        return new TransferResult(name == null ? "?" : name, size, bytes, 0, false, message, elapsedNs);
    }

    /**
     * One line for people: {@code "a.bin: 200.0 MiB in 1.31 s (152.7 MiB/s), CRC32C 1a2b3c4d"} or
     * {@code "a.bin: FAILED: reason"}.
     *
     * <p>Thread: any.
     *
     * @return the description
     */
    public String describe() {
        if (!ok) {
            return name + ": FAILED: " + message;
        }
        double seconds = Math.max(elapsedNs, 1) / 1e9;
        return String.format(Locale.ROOT, "%s: %s in %.2f s (%s/s), CRC32C %s", name, ProgressBar.size(size),
                seconds, ProgressBar.size((long) (size / seconds)), TransferProtocol.hex(crc32c));
    }
}
