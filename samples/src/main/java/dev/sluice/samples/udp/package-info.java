/**
 * UDP on the event loop: {@code udp-echo-server} and {@code udp-client}.
 *
 * <p>Source layout:
 * <ul>
 *   <li>{@link dev.sluice.samples.udp.UdpEchoServer}: echoes every datagram, counts drops.</li>
 *   <li>{@link dev.sluice.samples.udp.UdpEchoClient}: a windowed, counted run with loss timeouts;
 *       {@link dev.sluice.samples.udp.UdpRunConfig} and {@link dev.sluice.samples.udp.UdpReport}.</li>
 *   <li>{@link dev.sluice.samples.udp.UdpEchoServerCommand}, {@link dev.sluice.samples.udp.UdpClientCommand}:
 *       the picocli commands.</li>
 * </ul>
 */
package dev.sluice.samples.udp;
