/**
 * A line-based broadcast chat on the event loop: {@code chat-server} and {@code chat-client}.
 *
 * <p>Source layout:
 * <ul>
 *   <li>{@link dev.sluice.samples.chat.ChatServer}: start, address, counters, close; the slow-client
 *       policy (drop while lagging, disconnect after a stall) is described there.</li>
 *   <li>{@code ChatRoom}: membership, nicks, commands, and delivery (one encode, one copy per
 *       writable recipient).</li>
 *   <li>{@code ChatSession}: one client's handler: lines in, writability and the stall deadline, the heartbeat
 *       ({@link dev.sluice.Heartbeat} on the read-idle timeout).</li>
 *   <li>{@link dev.sluice.samples.chat.ChatConfig}, {@link dev.sluice.samples.chat.ChatStats}.</li>
 *   <li>{@link dev.sluice.samples.chat.ChatServerCommand}, {@link dev.sluice.samples.chat.ChatClientCommand}:
 *       the picocli commands.</li>
 * </ul>
 */
package dev.sluice.samples.chat;
