package dev.sluice.samples.echo;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.TimeoutKind;

import java.nio.ByteBuffer;

/**
 * Raw echo: every read goes straight back with {@link Connection#writeCopy}, which copies into the
 * engine's pooled chunks, so a steady stream allocates nothing. Stateless, so one instance serves every
 * connection of a server. A peer's FIN is answered by the default
 * {@link ConnectionHandler#onInputClosed}: flush what is pending, then close.
 *
 * <p>Thread: event loop only.
 */
final class RawEchoHandler implements ConnectionHandler {
    private final EchoServer server;

    RawEchoHandler(EchoServer server) {
        this.server = server;
    }

    @Override
    public void onOpen(Connection c) {
        server.opened(c);
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        c.writeCopy(data);
    }

    @Override
    public boolean onTimeout(Connection c, TimeoutKind kind) {
        if (kind == TimeoutKind.READ_IDLE) {
            server.idle(c);
        }
        return true;
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        server.closed(c, reason, cause);
    }
}
