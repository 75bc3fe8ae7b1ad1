package dev.sluice.samples;

import static org.junit.jupiter.api.Assertions.fail;

/** Proves that no thread with a given name prefix outlived the test. Thread: any. */
public final class Threads {
    private Threads() {
    }

    public static void assertNoneAlive(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Thread alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).findFirst().orElse(null);
            if (alive == null) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("thread " + alive.getName() + " still alive");
            }
            alive.join(100);
        }
    }
}
