/**
 * Pure, incremental frame decoders: they turn a byte stream, delivered in reads of any size, into
 * frames, and know nothing about sockets, selectors or threads.
 *
 * <p>Each decoder has the same shape: {@code decode(ByteBuffer src, FrameSink sink)} consumes all of
 * {@code src}, hands every complete frame to the {@link dev.sluice.codec.FrameSink} as a read-only
 * {@link java.nio.ByteBuffer} that is valid only during the call, and keeps the bytes of an
 * incomplete frame for the next call. A frame that lies whole inside {@code src} is passed as a view
 * of {@code src}, not copied; only a frame that spans reads is copied into a buffer of the
 * decoder's own, which is allocated when needed and released once the frame is delivered, so an
 * idle connection holds no buffer.
 *
 * <ul>
 *   <li>{@link dev.sluice.codec.LineFramer}: lines ending in {@code \n} or {@code \r\n}.
 *   <li>{@link dev.sluice.codec.LengthFieldFramer}: frames prefixed by a 4-byte big-endian length.
 * </ul>
 *
 * <p>Bad input is a typed {@link dev.sluice.codec.FrameException}: a frame over the decoder's limit
 * is a {@link dev.sluice.codec.FrameTooLongException}, raised as soon as the limit is known to be
 * exceeded, before the rest of the frame is buffered; an impossible header is a
 * {@link dev.sluice.codec.MalformedFrameException}. After either, the stream cannot be
 * resynchronised, so the decoder refuses further input with {@link IllegalStateException} and the
 * caller should close the connection.
 *
 * <p>Thread: decoders are not thread-safe; use one per connection, on that connection's loop thread.
 */
package dev.sluice.codec;
