package dev.sluice.samples.support;

import picocli.CommandLine;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Runs a picocli command on its own thread, as a server command runs until Ctrl-C; {@link #stop()}
 * interrupts it, which the commands treat as Ctrl-C.
 *
 * <p>Thread: the test thread.
 */
public final class BackgroundCommand {
    private final Thread thread;
    private volatile int exitCode = Integer.MIN_VALUE;

    private BackgroundCommand(Object command, String... args) {
        thread = new Thread(() -> exitCode = new CommandLine(command).execute(args), "command-under-test");
        thread.start();
    }

    public static BackgroundCommand start(Object command, String... args) {
        return new BackgroundCommand(command, args);
    }

    /** Presses Ctrl-C and returns the exit code. */
    public int stop() throws InterruptedException {
        thread.interrupt();
        return await();
    }

    /** Waits for the command to end by itself and returns the exit code. */
    public int await() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(thread.isAlive(), "command did not end");
        return exitCode;
    }
}
