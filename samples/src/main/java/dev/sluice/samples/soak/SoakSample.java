package dev.sluice.samples.soak;

import dev.sluice.LoopStats;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One row of the soak's table: resources that must not grow, counts that must stay zero, and the close
 * reasons that show the hostile peers getting their outcomes (cumulative since the start).
 *
 * <p>Thread: taken and read by the soak's main thread.
 */
final class SoakSample {
    static final String HEADER = String.format(Locale.ROOT,
            "%6s %7s %7s %5s %4s %5s | %9s %4s %7s | %6s %6s %6s %5s %6s %6s %6s %6s | %4s %4s | %7s %8s",
            "time", "heapMiB", "dirMiB", "fds", "thr", "conns", "echoes", "err", "hostile",
            "idle", "wstall", "dline", "ovfl", "reset", "reject", "abort", "peer", "herr", "aerr",
            "iter/s", "pendKiB");

    final long elapsedNs;
    final long heapBytes;
    final long directBytes;
    final long fds;
    final int threads;
    final long connections;
    final long echoes;
    final long echoErrors;
    final long echoConnections;
    final long rejectionsRetried;
    final long hostileCycles;
    final long hostileFailures;
    final long[] closes = new long[SoakCommand.SHOWN.length];
    final long handlerErrors;
    final long acceptErrors;
    final double iterationsPerSecond;
    final long pendingOutputBytes;

    private SoakSample(long elapsedNs, EchoClients echo, HostileClients hostile, LoopStats previous,
                       LoopStats now, long intervalNs) {
        this.elapsedNs = elapsedNs;
        this.heapBytes = heapAfterGc();
        this.directBytes = directMemory();
        this.fds = openFds();
        this.threads = Thread.activeCount();
        this.connections = now.openConnections();
        this.echoes = echo.echoes();
        this.echoErrors = echo.errors();
        this.echoConnections = echo.connections();
        this.rejectionsRetried = echo.rejections();
        this.hostileCycles = hostile.cycles();
        this.hostileFailures = hostile.failures();
        for (int i = 0; i < closes.length; i++) {
            closes[i] = now.closes(SoakCommand.SHOWN[i]);
        }
        this.handlerErrors = now.handlerErrors();
        this.acceptErrors = now.acceptErrors();
        this.iterationsPerSecond = (now.iterations() - previous.iterations()) * 1e9 / intervalNs;
        this.pendingOutputBytes = now.pendingOutputBytes();
    }

    static SoakSample take(long elapsedNs, EchoClients echo, HostileClients hostile, LoopStats previous,
                           LoopStats now, long intervalNs) {
        return new SoakSample(elapsedNs, echo, hostile, previous, now, intervalNs);
    }

    double heapMiB() {
        return heapBytes / 1048576.0;
    }

    double directMiB() {
        return directBytes / 1048576.0;
    }

    String row() {
        return String.format(Locale.ROOT,
                "%5ds %7.1f %7.1f %5d %4d %5d | %9d %4d %7d | %6d %6d %6d %5d %6d %6d %6d %6d | %4d %4d | %7.0f %8d",
                elapsedNs / 1_000_000_000L, heapMiB(), directMiB(), fds, threads, connections,
                echoes, echoErrors, hostileCycles,
                closes[0], closes[1], closes[2], closes[3], closes[4], closes[5], closes[6], closes[7],
                handlerErrors, acceptErrors, iterationsPerSecond, pendingOutputBytes / 1024);
    }

    /** Used heap right after a full collection: what is really retained. */
    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long directMemory() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return -1;
    }

    /** Entries of /proc/self/fd (minus the one listing it), or -1 without /proc. */
    private static long openFds() {
        Path fd = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fd)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fd)) {
            return s.count() - 1;
        } catch (IOException e) {
            return -1;
        }
    }
}
