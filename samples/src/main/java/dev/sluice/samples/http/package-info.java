/**
 * HTTP/1.1 on the engine: a pure client codec (no sockets, no threads, bytes in and bytes out, tested
 * with plain strings), and the three programs built on it and on the event loop: {@code fetch},
 * {@code http-bench} and {@code http-server}.
 *
 * <p>Source layout:
 * <ul>
 *   <li>The client codec. {@link dev.sluice.samples.http.HttpUrl}: parse an {@code http://} URL, resolve
 *       redirects. {@link dev.sluice.samples.http.HttpRequestWriter}: GET and HEAD requests.
 *       {@link dev.sluice.samples.http.HttpResponseParser}: the incremental response parser and the
 *       framing rules (RFC 9112 §6.3); {@code LineReader}, {@code FieldSection} and {@code HttpSyntax}
 *       are its line reading, field combining and grammar helpers.
 *       {@link dev.sluice.samples.http.ResponseListener} and
 *       {@link dev.sluice.samples.http.HttpParseException}: what the parser reports.</li>
 *   <li>The server codec. {@link dev.sluice.samples.http.HttpRequestParser}: incremental, allocation-free
 *       request parsing with limits; {@code RequestBody} skips Content-Length and chunked bodies;
 *       {@code HeadBytes} reads field values in place; {@link dev.sluice.samples.http.HttpRequestException}
 *       says what was wrong and which status answers it.</li>
 *   <li>The server. {@link dev.sluice.samples.http.HttpServer}: start, port, close;
 *       {@code HttpServerConnection}: one connection's requests and answers, pipelining included;
 *       {@code ServerResponses}: prebuilt responses with a Date refreshed once a second;
 *       {@code StaticFiles} and {@code FileTransfer}: files under a root, sent with
 *       {@code FileChannel.transferTo}.</li>
 *   <li>The client. {@link dev.sluice.samples.http.FetchClient}: fetches over one loop, a keep-alive pool
 *       per host, redirects, timeouts, resolution off the loop; {@code HttpClientConnection} and
 *       {@code Exchange}: one connection and one fetch; {@link dev.sluice.samples.http.FetchOptions},
 *       {@link dev.sluice.samples.http.FetchListener}, {@link dev.sluice.samples.http.ResponseHead} and
 *       {@link dev.sluice.samples.http.FetchResult}: its inputs and outputs.</li>
 *   <li>The load generator. {@link dev.sluice.samples.http.HttpBench}: a wrk-style run with an
 *       HdrHistogram; {@code BenchRun} and {@code BenchConnection}: its state and its connections.</li>
 *   <li>The commands (picocli). {@link dev.sluice.samples.http.FetchCommand},
 *       {@link dev.sluice.samples.http.HttpBenchCommand}, {@link dev.sluice.samples.http.HttpServerCommand},
 *       with {@link dev.sluice.samples.Durations.Converter} for {@code 10s}-style options and
 *       {@code Units} for wrk-style numbers.</li>
 * </ul>
 *
 * <p>Not supported yet: https, request bodies from the client, response content codings (gzip), 101
 * upgrades, zero-copy file sending (the engine has no file-region write).
 */
package dev.sluice.samples.http;
