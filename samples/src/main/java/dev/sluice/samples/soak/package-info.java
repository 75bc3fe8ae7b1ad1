/**
 * The {@code soak} command: hours-long confidence that nothing grows. A line-echo server on one loop
 * with every limit on, well-behaved echo clients that check every byte, and the hostile peers of the
 * engine's reliability tests driven in real time, over and over.
 *
 * <p>Source layout:
 * <ul>
 *   <li>{@link dev.sluice.samples.soak.SoakCommand}: options, the sampling loop, the verdict.</li>
 *   <li>{@code SoakServer}: the server and its limits (timeouts, line deadline, caps).</li>
 *   <li>{@code EchoClients}: the well-behaved clients, rate-limited, with churn.</li>
 *   <li>{@code HostileClients}: the hostile peers, one thread per peer, in bounded cycles.</li>
 *   <li>{@code SoakSample}: one printed row: heap after GC, fds, connections, errors, close reasons.</li>
 * </ul>
 */
package dev.sluice.samples.soak;
