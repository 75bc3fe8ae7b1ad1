/**
 * Sluice: a raw Java NIO event loop. One thread and one {@link java.nio.channels.Selector} multiplex
 * accept, connect, read and write readiness over many sockets.
 *
 * <p>Start with {@link dev.sluice.EventLoop}, {@link dev.sluice.ConnectionHandler} and
 * {@link dev.sluice.Connection}. Every public method's javadoc begins with the threads that may call it.
 */
package dev.sluice;
