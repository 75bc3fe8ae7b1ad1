package dev.sluice.testing;

import com.sun.management.UnixOperatingSystemMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this process's open file descriptors. Thread: any. */
public final class Fds {
    private static final Path PROC_SELF_FD = Path.of("/proc/self/fd");

    private Fds() {
    }

    /** Whether the count is available (Linux {@code /proc}). */
    public static boolean available() {
        return Files.isDirectory(PROC_SELF_FD);
    }

    /**
     * The process's descriptor limit ({@code ulimit -n}), or {@link Long#MAX_VALUE} where the JVM
     * cannot tell.
     */
    public static long limit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return Long.MAX_VALUE;
    }

    /**
     * Open descriptors, not counting the one this call opens to list the directory.
     *
     * @return the count, or -1 where {@code /proc/self/fd} does not exist
     */
    public static long open() {
        if (!available()) {
            return -1;
        }
        try (Stream<Path> s = Files.list(PROC_SELF_FD)) {
            return s.count() - 1;
        } catch (IOException e) {
            return -1;
        }
    }
}
