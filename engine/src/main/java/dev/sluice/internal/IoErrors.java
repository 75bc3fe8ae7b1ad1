package dev.sluice.internal;

import dev.sluice.CloseReason;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;

/**
 * Sorts I/O exceptions into close reasons. The JDK reports peer resets only through messages
 * ("Connection reset", "Connection reset by peer" from ECONNRESET, "Broken pipe" from EPIPE), so the
 * message is all there is to go on. TLS failures carry their own reason ({@link TlsException}).
 */
final class IoErrors {
    private IoErrors() {
    }

    static CloseReason reasonFor(IOException e) {
        if (e instanceof TlsException t) {
            return t.reason;
        }
        if (e instanceof SSLException) {
            return e instanceof SSLHandshakeException ? CloseReason.TLS_HANDSHAKE_FAILED : CloseReason.TLS_ERROR;
        }
        String m = e.getMessage();
        if (m != null && (m.contains("reset") || m.contains("Broken pipe"))) {
            return CloseReason.PEER_RESET;
        }
        return CloseReason.IO_ERROR;
    }

    /** EMFILE / ENFILE: the process or the system ran out of file descriptors. */
    static boolean isOutOfDescriptors(IOException e) {
        String m = e.getMessage();
        return m != null && m.contains("Too many open files");
    }
}
