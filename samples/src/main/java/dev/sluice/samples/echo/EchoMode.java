package dev.sluice.samples.echo;

/**
 * What an echo server sends back.
 *
 * <p>Thread: any (immutable).
 */
public enum EchoMode {
    /** Every byte back as it came, no framing: the mode to measure with. */
    RAW,
    /**
     * Lines ending in {@code \n} (a {@code \r} before it is dropped), each echoed with {@code \n}; a line
     * longer than the maximum closes that connection; {@code exit} or {@code quit} on a line closes it.
     */
    LINE,
    /** As {@link #LINE}, with ASCII letters in upper case, as the classic socket tutorials do. */
    UPPER;

    /**
     * Thread: any.
     *
     * @return whether this mode frames the stream into lines
     */
    public boolean framesLines() {
        return this != RAW;
    }
}
