/**
 * File transfer on the event loop: {@code file-send} (zero-copy, with {@code Connection.writeFile}) and
 * {@code file-recv} (verified by size and CRC32C, written atomically).
 *
 * <p>Source layout:
 * <ul>
 *   <li>{@link dev.sluice.samples.file.TransferProtocol}: the wire format, in its javadoc.</li>
 *   <li>{@link dev.sluice.samples.file.FileSender} and {@code SendSession}: pieces under backpressure,
 *       the CRC trailer, success only on the receiver's OK.</li>
 *   <li>{@link dev.sluice.samples.file.FileReceiver} and {@code ReceiveSession}: header, body to a
 *       temporary file, trailer, rename or delete.</li>
 *   <li>{@code HeaderDecoder}: the incremental header decoder; {@link dev.sluice.samples.file.SafeNames}:
 *       which names are accepted.</li>
 *   <li>{@code ProgressBar}: the stderr bar, drawn by the loop thread.</li>
 *   <li>{@link dev.sluice.samples.file.FileSendCommand}, {@link dev.sluice.samples.file.FileRecvCommand}:
 *       the picocli commands.</li>
 * </ul>
 */
package dev.sluice.samples.file;
