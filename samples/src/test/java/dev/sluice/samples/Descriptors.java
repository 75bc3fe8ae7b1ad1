package dev.sluice.samples;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Skips a test cleanly when {@code ulimit -n} leaves too few file descriptors for it. Thread: any. */
public final class Descriptors {
    private Descriptors() {
    }

    public static void assumeAvailable(long needed) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean)) {
            return; // cannot tell; let the test try
        }
        com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean) os;
        long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
        assumeTrue(free >= needed, "needs " + needed + " free file descriptors, ulimit -n leaves " + free
                + " (raise it with ulimit -n)");
    }
}
