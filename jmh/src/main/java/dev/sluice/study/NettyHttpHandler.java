package dev.sluice.study;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Answers like the samples' {@code http-server} ({@code HttpServerConnection} and
 * {@code ServerResponses}), byte for byte apart from the {@code Server} value ({@code netty}, one byte
 * shorter than {@code sluice}) and the clock: {@code GET} or {@code HEAD} of {@code /} or
 * {@code /plaintext} is {@code 200 OK} with {@code Hello, World!} (13 bytes, {@code text/plain}); another
 * path is {@code 404}, another method {@code 405} with {@code Allow: GET, HEAD}. The fields come in the
 * same order with the same spelling: {@code Server}, {@code Date}, {@code Content-Type},
 * {@code Content-Length}, then {@code Allow} and {@code Connection} when they apply. Connection
 * persistence follows RFC 9112 §9.3 as the samples' server does: nothing said for HTTP/1.1 kept alive,
 * {@code Connection: close} (and then a close once written) when the client asked for it or is HTTP/1.0
 * without keep-alive, {@code Connection: keep-alive} for HTTP/1.0 with it.
 *
 * <p>The idiomatic Netty shape: write in {@code channelRead}, flush in {@code channelReadComplete}, so
 * pipelined requests read together are answered with one flush. Request bodies are read and dropped. A
 * request the codec could not parse gets {@code 400} ({@code 414}, {@code 431} for a too-long line or
 * head) and a close; {@code http-server}'s own parser can also say 413, 501 or 505, which this does not.
 *
 * <p>Thread: one instance per channel, called on that channel's event loop only.
 */
final class NettyHttpHandler extends ChannelInboundHandlerAdapter {
    static final String SERVER = "netty";
    static final String HELLO = "Hello, World!";

    // The spelling http-server uses; Netty's HttpHeaderNames are lower case, and the bytes on the wire differ.
    private static final AsciiString SERVER_NAME = AsciiString.cached("Server");
    private static final AsciiString DATE = AsciiString.cached("Date");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString CONNECTION = AsciiString.cached("Connection");
    private static final AsciiString ALLOW = AsciiString.cached("Allow");
    private static final AsciiString SERVER_VALUE = AsciiString.cached(SERVER);
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString GET_HEAD = AsciiString.cached("GET, HEAD");
    /** The field values are constants of ours: validating them per response would only cost time. */
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);
    /** http-server's reason phrase (RFC 9110 §15.5.15); Netty's constant says "Request-URI Too Long". */
    private static final HttpResponseStatus URI_TOO_LONG = new HttpResponseStatus(414, "URI Too Long");

    /** Shared by every response and never released: each response writes a duplicate of it. */
    private static final ByteBuf HELLO_BODY = constant(HELLO);
    private static final ByteBuf NOT_FOUND_BODY = constant("Not Found\n");
    private static final ByteBuf NOT_ALLOWED_BODY = constant("Method Not Allowed\n");

    /** RFC 9110 §5.6.7 IMF-fixdate with a two-digit day, the same pattern as http-server's. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The Date value of one second, replaced as a whole so that any loop may read it without a lock. */
    private record DateValue(long second, AsciiString text) {
    }

    private static volatile DateValue date = new DateValue(Long.MIN_VALUE, AsciiString.EMPTY_STRING);

    /** Loop only: a response ended the connection; what was pipelined behind it is dropped. */
    private boolean closing;

    private static ByteBuf constant(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }

    /** Thread: the channel's event loop. Answers a request; drops body parts and what follows a close. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request && !closing) {
                respond(ctx, request);
            }
        } finally {
            ReferenceCountUtil.release(msg); // a request's HttpContent parts: bodies are dropped
        }
    }

    /** Thread: the channel's event loop. One flush for every answer written since the last. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    /** Thread: the channel's event loop. Closes the connection. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset or a TLS failure: nothing to answer
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException ? URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            ByteBuf body = Unpooled.copiedBuffer(status.reasonPhrase() + "\n", StandardCharsets.US_ASCII);
            send(ctx, response(status, body, body.readableBytes(), null, Persistence.CLOSE), true);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        Persistence persistence = !keepAlive ? Persistence.CLOSE
                : request.protocolVersion().minorVersion() == 0 ? Persistence.KEEP_ALIVE : Persistence.DEFAULT;
        HttpMethod method = request.method();
        boolean head = method.equals(HttpMethod.HEAD);
        FullHttpResponse response;
        if (!head && !method.equals(HttpMethod.GET)) {
            response = response(HttpResponseStatus.METHOD_NOT_ALLOWED, NOT_ALLOWED_BODY.duplicate(),
                    NOT_ALLOWED_BODY.readableBytes(), GET_HEAD, persistence);
        } else {
            String path = originForm(request.uri());
            ByteBuf body = path.equals("/") || path.equals("/plaintext") ? HELLO_BODY : NOT_FOUND_BODY;
            response = response(body == HELLO_BODY ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                    head ? Unpooled.EMPTY_BUFFER : body.duplicate(), body.readableBytes(), null, persistence);
        }
        send(ctx, response, !keepAlive);
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean close) {
        if (close) {
            closing = true;
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE); // after the answer is written
        } else {
            ctx.write(response);
        }
    }

    /** What the response says about the connection, as http-server's {@code ServerResponses.Persistence}. */
    private enum Persistence { DEFAULT, CLOSE, KEEP_ALIVE }

    private static FullHttpResponse response(HttpResponseStatus status, ByteBuf body, int contentLength,
                                             AsciiString allow, Persistence persistence) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, HEADERS, TRAILERS);
        HttpHeaders h = r.headers();
        h.add(SERVER_NAME, SERVER_VALUE);
        h.add(DATE, dateNow());
        h.add(CONTENT_TYPE, TEXT_PLAIN);
        h.addInt(CONTENT_LENGTH, contentLength);
        if (allow != null) {
            h.add(ALLOW, allow);
        }
        if (persistence != Persistence.DEFAULT) {
            h.add(CONNECTION, persistence == Persistence.CLOSE ? CLOSE : KEEP_ALIVE);
        }
        return r;
    }

    /** An absolute-form target ({@code http://host/path}, RFC 9112 §3.2.2) reduced to its path, as http-server does. */
    static String originForm(String uri) {
        int scheme = uri.indexOf("://");
        if (uri.startsWith("/") || scheme < 0) {
            return uri;
        }
        int path = uri.indexOf('/', scheme + 3);
        return path < 0 ? "/" : uri.substring(path);
    }

    private static AsciiString dateNow() {
        long second = Math.floorDiv(System.currentTimeMillis(), 1000); // the Date field only, never a timeout
        DateValue d = date;
        if (d.second() != second) {
            d = new DateValue(second, new AsciiString(IMF_FIXDATE.format(Instant.ofEpochSecond(second))));
            date = d;
        }
        return d.text();
    }
}
