package dev.sluice.internal;

/**
 * The one rule for throwables out of user code: a {@link VirtualMachineError} (out of memory, stack
 * overflow, an internal JVM error) says the JVM itself is in trouble, so it is not a handler's bug to
 * close one connection over. It passes every catch in the engine and ends the loop, which closes what
 * it holds and reports it once on its way out.
 *
 * <p>Thread: any.
 */
final class Fatal {
    private Fatal() {
    }

    /**
     * Rethrows {@code t} if it is a {@link VirtualMachineError}.
     *
     * @param t what a callback threw
     */
    static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError e) {
            throw e;
        }
    }
}
