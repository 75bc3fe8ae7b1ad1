package dev.sluice.internal;

/**
 * What a selection key's attachment is: the loop dispatches readiness to it without knowing what it is
 * (a connection, a listener, a datagram endpoint).
 *
 * <p>Thread: loop only.
 */
interface Selectable {
    /**
     * The key is ready.
     *
     * @param readyOps the key's ready set
     */
    void onReady(int readyOps);

    /**
     * {@link #onReady} threw: an engine bug, since handler exceptions are caught nearer the handler.
     * Close what must be closed; the loop has reported it and goes on with the other keys.
     *
     * @param e what was thrown
     */
    void onDispatchFailure(RuntimeException e);

    /** @return the class of the user code its callbacks run, for the stall watchdog; {@code null} if none */
    Class<?> handlerClass();
}
