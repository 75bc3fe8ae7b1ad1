package dev.sluice.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code /proc/PID/status} says of a process: resident memory and thread count. Linux only; on other
 * systems every reading is -1.
 *
 * <p>Thread: any.
 */
final class ProcInfo {
    private ProcInfo() {
    }

    /** @return resident set size in KiB, or -1 */
    static long rssKiB(long pid) {
        return field(pid, "VmRSS:");
    }

    /** @return threads, or -1 */
    static long threads(long pid) {
        return field(pid, "Threads:");
    }

    private static long field(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
