package dev.sluice.samples;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The one way every command treats an option spelling that changed: the old spelling stays, hidden
 * from {@code --help}, and fails at once with a one-line hint naming the new one (a usage error, exit
 * status 2). Failing rather than accepting it with a warning, because some letters were reused with a
 * new meaning ({@code -d} was the depth and is now the duration, {@code -t} was the duration and is now
 * the thread count): a run that guessed would measure the wrong thing, and a warning scrolls past.
 *
 * <p>Thread: any (stateless).
 */
public final class OldSpellings {
    private OldSpellings() {
    }

    /**
     * Thread: the parsing thread. For an option renamed: {@code --connect-timeout-ms 500} becomes the
     * error "--connect-timeout-ms is now --connect-timeout 500ms".
     *
     * @param spec        the command being parsed
     * @param old         the old spelling
     * @param replacement the new spelling with its value, as the user should type it
     * @return the exception to throw
     */
    public static ParameterException renamed(CommandSpec spec, String old, String replacement) {
        return new ParameterException(spec.commandLine(), old + " is now " + replacement);
    }

    /**
     * Thread: any. The old {@code -ms} integers as a duration to type instead.
     *
     * @param millis the old option's value
     * @return e.g. {@code 500ms}, or the value itself when it was not an integer
     */
    public static String millis(String millis) {
        return millis.trim().matches("\\d+") ? Durations.format(java.time.Duration.ofMillis(Long.parseLong(millis.trim())))
                : millis;
    }
}
