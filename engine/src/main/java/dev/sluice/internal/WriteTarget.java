package dev.sluice.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;

/**
 * Where {@link OutboundBuffer} writes: a gathering channel that can also take a region of a file.
 *
 * <p>Thread: loop only.
 */
public interface WriteTarget extends GatheringByteChannel {
    /**
     * Writes up to {@code count} bytes of {@code file} from {@code position}. The default goes through
     * {@link FileChannel#transferTo}, which is {@code sendfile(2)} only when this object is the JDK's own
     * socket channel; a socket transport overrides it to hand the JDK the raw channel.
     *
     * @param file     the file
     * @param position where to start in it
     * @param count    most bytes to write
     * @return bytes written
     * @throws IOException from the file or the channel
     */
    default long transferFrom(FileChannel file, long position, long count) throws IOException {
        return file.transferTo(position, count, this);
    }
}
