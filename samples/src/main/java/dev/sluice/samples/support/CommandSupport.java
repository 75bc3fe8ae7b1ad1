package dev.sluice.samples.support;

import dev.sluice.samples.CliException;
import dev.sluice.samples.HostPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Small pieces the chat, file and UDP commands share: reading {@code HOST:PORT}, and running a server
 * until Ctrl-C.
 *
 * <p>Thread: any (stateless).
 */
public final class CommandSupport {
    private CommandSupport() {
    }

    /**
     * Parses and resolves {@code HOST:PORT} ({@code [v6]:PORT} for IPv6 literals; a bare {@code PORT}
     * means 127.0.0.1). Resolution may block on DNS: never call this on a loop thread.
     *
     * <p>Thread: any but a loop's.
     *
     * @param text the address as typed
     * @return the resolved address
     * @throws IllegalArgumentException with a one-line message when it is malformed or unknown
     */
    public static InetSocketAddress resolve(String text) {
        HostPort target = HostPort.parseTarget(text);
        try {
            return target.resolve();
        } catch (CliException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Blocks until the process is asked to stop (Ctrl-C, SIGTERM) or the calling thread is interrupted,
     * then runs {@code stop}. On Ctrl-C the shutdown hook waits (up to 5 s) for {@code stop} to finish,
     * so a server's last lines (its counters) are still printed.
     *
     * <p>Thread: the command's; blocks.
     *
     * @param stop closes the server
     */
    public static void runUntilStopped(Runnable stop) {
        runUntilStopped(new CountDownLatch(1), stop);
    }

    /**
     * Like {@link #runUntilStopped(Runnable)}, and also returns (after running {@code stop}) when
     * {@code finished} reaches zero: for a server told to exit after some amount of work.
     *
     * <p>Thread: the command's; blocks.
     *
     * @param finished counted down by the server when its work is done; Ctrl-C counts it down too
     * @param stop     closes the server
     */
    public static void runUntilStopped(CountDownLatch finished, Runnable stop) {
        CountDownLatch signalled = finished;
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            while (signalled.getCount() > 0) {
                signalled.countDown();
            }
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        try {
            signalled.await();
        } catch (InterruptedException e) {
            interrupted = true; // the tests' Ctrl-C; cleared while stopping so stop can wait for the loop
        } finally {
            try {
                stop.run();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running, and is waiting for us.
                }
            }
        }
    }
}
