package dev.sluice.samples.http;

import java.util.Locale;

/**
 * Thread: any; stateless.
 *
 * <p>Numbers for people, in wrk's style: binary byte units and latencies with their unit.
 */
final class Units {

    private Units() {
    }

    /** @return e.g. {@code 512B}, {@code 1.50KB}, {@code 150.23MB} (1 KB = 1024 bytes, as wrk prints) */
    static String bytes(double n) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        int u = 0;
        while (n >= 1024 && u < units.length - 1) {
            n /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f%s", n, units[u]) : String.format(Locale.ROOT, "%.2f%s", n, units[u]);
    }

    /** @return e.g. {@code 850.00us}, {@code 1.23ms}, {@code 2.50s} */
    static String micros(double us) {
        if (us < 1000) {
            return String.format(Locale.ROOT, "%.2fus", us);
        }
        if (us < 1_000_000) {
            return String.format(Locale.ROOT, "%.2fms", us / 1e3);
        }
        return String.format(Locale.ROOT, "%.2fs", us / 1e6);
    }

    /** @return nanoseconds as milliseconds with one decimal, e.g. {@code 1.2 ms} */
    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
