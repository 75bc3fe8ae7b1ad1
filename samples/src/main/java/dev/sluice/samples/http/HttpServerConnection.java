package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.sluice.CloseReason;
import dev.sluice.Connection;
import dev.sluice.ConnectionHandler;
import dev.sluice.samples.http.ServerResponses.Canned;
import dev.sluice.samples.http.ServerResponses.Persistence;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Thread: the server's loop thread only (a {@link ConnectionHandler}).
 *
 * <p>One server connection: parses requests as they arrive and answers each in order, so pipelined
 * requests get pipelined answers. {@code GET /} is the TechEmpower plaintext response, written from
 * a prebuilt buffer with {@code writeCopy}: the keep-alive hot path allocates nothing.
 *
 * <p>A file response can outlast the bytes that asked for it. While one is being sent, reading is
 * paused and any pipelined bytes that already arrived are set aside (the engine hands unconsumed input
 * back only when more bytes arrive, which a pipelining client waiting for answers would never send);
 * they are served when the file is done.
 */
final class HttpServerConnection implements ConnectionHandler {

    private static final byte[] ROOT = "/".getBytes(US_ASCII);
    private static final byte[] PLAINTEXT = "/plaintext".getBytes(US_ASCII);

    private final ServerResponses responses;
    private final StaticFiles files;
    private final HttpRequestParser parser;

    private FileTransfer file;
    private boolean closeAfterFile;
    private ByteBuffer setAside;
    private boolean closing;

    HttpServerConnection(ServerResponses responses, StaticFiles files, HttpServer.Limits limits) {
        this.responses = responses;
        this.files = files;
        this.parser = new HttpRequestParser(limits.maxHeadBytes(), limits.maxHeaderCount(), limits.maxBodyBytes());
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        if (file != null) {
            setAside(data); // only if the engine delivered after pauseReading; kept in order all the same
            return;
        }
        if (!closing) {
            serve(c, data);
        }
        if (closing) {
            data.position(data.limit()); // after the last answer, the rest is discarded
        } else if (file != null) {
            setAside(data);
            pump(c);
        }
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        if (writable && file != null) {
            pump(c);
        }
    }

    @Override
    public void onClose(Connection c, CloseReason reason, Throwable cause) {
        if (file != null) {
            closeQuietly(file);
            file = null;
        }
    }

    /** Answers every complete request in {@code in}, stopping early for a file or a close. */
    private void serve(Connection c, ByteBuffer in) {
        while (!closing && file == null) {
            boolean complete;
            try {
                complete = parser.parse(in);
            } catch (HttpRequestException e) {
                reject(c, e);
                return;
            }
            if (!complete) {
                return;
            }
            respond(c);
            parser.reset();
        }
    }

    private void respond(Connection c) {
        boolean keepAlive = parser.keepAlive();
        Persistence persistence = Persistence.of(keepAlive, parser.minorVersion());
        HttpMethod method = parser.method();
        boolean head = method == HttpMethod.HEAD;
        if (method == null) {
            c.writeCopy(responses.canned(Canned.METHOD_NOT_ALLOWED, false, persistence));
        } else if (parser.targetEquals(ROOT) || parser.targetEquals(PLAINTEXT)) {
            c.writeCopy(responses.canned(Canned.HELLO, head, persistence));
        } else {
            StaticFiles.Opened opened = files == null ? null : files.open(parser.target());
            if (opened == null) {
                c.writeCopy(responses.canned(Canned.NOT_FOUND, head, persistence));
            } else {
                c.write(responses.fileHead(opened.size(), opened.contentType(), persistence));
                if (head || opened.size() == 0) {
                    closeQuietly(opened.channel());
                } else {
                    startFile(c, new FileTransfer(opened.channel(), opened.size()), !keepAlive);
                    return;
                }
            }
        }
        if (!keepAlive) {
            closing = true;
            c.close(); // graceful: the answer is flushed first
        }
    }

    /** A request the parser refused: answer with its status and close (the stream cannot be framed). */
    private void reject(Connection c, HttpRequestException e) {
        closing = true;
        c.write(responses.error(e.kind().statusCode(), reasonPhrase(e.kind().statusCode())));
        c.close();
    }

    private void startFile(Connection c, FileTransfer transfer, boolean close) {
        file = transfer;
        closeAfterFile = close;
        c.pauseReading();
    }

    /**
     * Queues file slices while the connection is writable; the rest follows onWritabilityChanged. When
     * a file is done, the requests set aside behind it are served, iteratively (not by recursion, so a
     * long pipeline of small files cannot exhaust the stack).
     */
    private void pump(Connection c) {
        try {
            while (file != null && c.isWritable()) {
                if (!file.sendSlice(c)) {
                    continue;
                }
                closeQuietly(file);
                file = null;
                if (closeAfterFile) {
                    closing = true;
                    c.close();
                    return;
                }
                c.resumeReading();
                ByteBuffer pending = setAside;
                setAside = null;
                if (pending != null) {
                    serve(c, pending);
                    if (file != null && pending.hasRemaining()) {
                        setAside = pending;
                    }
                }
            }
        } catch (IOException e) {
            // The head promised a length we cannot deliver: reset so the client sees a failure, not a short body.
            closeQuietly(file);
            file = null;
            closing = true;
            c.abort();
        }
    }

    private void setAside(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        int kept = setAside == null ? 0 : setAside.remaining();
        ByteBuffer b = ByteBuffer.allocate(kept + data.remaining());
        if (setAside != null) {
            b.put(setAside);
        }
        setAside = b.put(data).flip();
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // A read-only file: nothing was buffered, so nothing can be lost by a failed close.
        }
    }
}
