package dev.sluice.testing;

import java.io.IOException;
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
