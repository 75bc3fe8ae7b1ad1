package dev.sluice.samples;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The standard streams a command uses, so tests can run commands in-process with their own.
 *
 * <p>Thread: any (immutable).
 *
 * @param in  standard input
 * @param out standard output
 * @param err standard error
 */
public record Io(InputStream in, PrintStream out, PrintStream err) {

    /**
     * Thread: any.
     *
     * @return the process's own streams
     */
    public static Io system() {
        return new Io(System.in, System.out, System.err);
    }
}
