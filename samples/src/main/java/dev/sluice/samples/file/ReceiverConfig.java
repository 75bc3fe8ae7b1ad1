package dev.sluice.samples.file;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Where a {@link FileReceiver} listens and writes, and what it accepts.
 *
 * <p>Thread: any (immutable).
 *
 * @param bindAddress   where to listen; port 0 picks a free one
 * @param directory     where files land (must exist)
 * @param overwrite     replace an existing file of the same name ({@code --force}); otherwise refuse
 * @param idleTimeoutNs a transfer that sends nothing for this long fails
 * @param maxFileBytes  larger files are refused
 */
public record ReceiverConfig(InetSocketAddress bindAddress, Path directory, boolean overwrite,
                             long idleTimeoutNs, long maxFileBytes) {

    /**
     * Validates every field.
     *
     * @param bindAddress   see the record description
     * @param directory     see the record description
     * @param overwrite     see the record description
     * @param idleTimeoutNs see the record description
     * @param maxFileBytes  see the record description
     * @throws IllegalArgumentException naming the value out of range
     */
    public ReceiverConfig {
        if (bindAddress == null || directory == null) {
            throw new IllegalArgumentException("bindAddress and directory are required");
        }
        if (idleTimeoutNs <= 0 || maxFileBytes < 0) {
            throw new IllegalArgumentException("idle timeout must be > 0 and max file size >= 0");
        }
    }

    /**
     * Listens on 127.0.0.1:7200, never overwrites, fails a transfer idle for 30 s, no size limit.
     *
     * <p>Thread: any.
     *
     * @param directory where files land
     * @return the configuration
     */
    public static ReceiverConfig into(Path directory) {
        return new ReceiverConfig(new InetSocketAddress("127.0.0.1", 7200), directory, false,
                30_000_000_000L, Long.MAX_VALUE);
    }

    /**
     * Thread: any.
     *
     * @param address where to listen
     * @return a copy with this address
     */
    public ReceiverConfig withBindAddress(InetSocketAddress address) {
        return new ReceiverConfig(address, directory, overwrite, idleTimeoutNs, maxFileBytes);
    }

    /**
     * Thread: any.
     *
     * @param replace whether to replace existing files
     * @return a copy with this setting
     */
    public ReceiverConfig withOverwrite(boolean replace) {
        return new ReceiverConfig(bindAddress, directory, replace, idleTimeoutNs, maxFileBytes);
    }

    /**
     * Thread: any.
     *
     * @param nanos how long a transfer may send nothing
     * @return a copy with this timeout
     */
    public ReceiverConfig withIdleTimeoutNs(long nanos) {
        return new ReceiverConfig(bindAddress, directory, overwrite, nanos, maxFileBytes);
    }

    /**
     * Thread: any.
     *
     * @param bytes largest file accepted
     * @return a copy with this limit
     */
    public ReceiverConfig withMaxFileBytes(long bytes) {
        return new ReceiverConfig(bindAddress, directory, overwrite, idleTimeoutNs, bytes);
    }
}
