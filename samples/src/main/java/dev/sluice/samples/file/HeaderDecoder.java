package dev.sluice.samples.file;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a transfer header incrementally: feed it bytes as they arrive, in pieces of any size. It takes
 * only the header's bytes from the source, so what follows (the body) stays there for the caller.
 *
 * <p>Thread: one at a time (not thread-safe).
 */
final class HeaderDecoder {
    private final ByteBuffer buf = ByteBuffer.allocate(TransferProtocol.PREFIX_BYTES
            + TransferProtocol.MAX_NAME_BYTES + TransferProtocol.SIZE_BYTES);
    /** Bytes needed before the next step: the prefix first, then the whole header. */
    private int needed = TransferProtocol.PREFIX_BYTES;

    /**
     * Takes header bytes from {@code src}.
     *
     * @param src bytes received; its position moves past the header bytes taken
     * @return the header once complete, else {@code null} (all of {@code src} was taken)
     * @throws MalformedTransferException on a wrong magic or version, a bad name length, a name that
     *                                    is not UTF-8, or a negative size
     */
    TransferHeader decode(ByteBuffer src) throws MalformedTransferException {
        while (true) {
            int n = Math.min(src.remaining(), needed - buf.position());
            buf.put(buf.position(), src, src.position(), n);
            buf.position(buf.position() + n);
            src.position(src.position() + n);
            if (buf.position() < needed) {
                return null;
            }
            if (needed == TransferProtocol.PREFIX_BYTES) {
                needed = checkPrefix();
                continue;
            }
            return finish();
        }
    }

    private int checkPrefix() throws MalformedTransferException {
        if (buf.getInt(0) != TransferProtocol.MAGIC) {
            throw new MalformedTransferException("not a sluice file transfer (bad magic)");
        }
        if (buf.get(4) != TransferProtocol.VERSION) {
            throw new MalformedTransferException("unsupported protocol version " + buf.get(4));
        }
        int nameBytes = buf.getShort(5) & 0xffff;
        if (nameBytes == 0 || nameBytes > TransferProtocol.MAX_NAME_BYTES) {
            throw new MalformedTransferException("name length " + nameBytes + " is not 1.."
                    + TransferProtocol.MAX_NAME_BYTES);
        }
        return TransferProtocol.PREFIX_BYTES + nameBytes + TransferProtocol.SIZE_BYTES;
    }

    private TransferHeader finish() throws MalformedTransferException {
        int nameBytes = needed - TransferProtocol.PREFIX_BYTES - TransferProtocol.SIZE_BYTES;
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buf.duplicate().position(TransferProtocol.PREFIX_BYTES)
                            .limit(TransferProtocol.PREFIX_BYTES + nameBytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedTransferException("the file name is not valid UTF-8");
        }
        long size = buf.getLong(TransferProtocol.PREFIX_BYTES + nameBytes);
        if (size < 0) {
            throw new MalformedTransferException("negative size " + size);
        }
        return new TransferHeader(name, size);
    }
}
