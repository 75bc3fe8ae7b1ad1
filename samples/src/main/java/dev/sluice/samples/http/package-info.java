/**
 * A pure HTTP/1.1 client codec: no sockets, no threads, bytes in and bytes out, so it can be driven by
 * the event loop and tested with plain strings.
 *
 * <p>Source layout:
 * <ul>
 *   <li>{@link dev.sluice.samples.http.HttpUrl}: parse an {@code http://} URL, resolve redirects.</li>
 *   <li>{@link dev.sluice.samples.http.HttpRequestWriter}: GET and HEAD requests, into a new buffer or
 *       without allocating into the caller's.</li>
 *   <li>{@link dev.sluice.samples.http.HttpResponseParser}: the incremental response parser; the state
 *       machine and the framing rules (RFC 9112 §6.3).</li>
 *   <li>{@code LineReader}: the parser's line reading and per-byte checks (status, field and chunk-size
 *       lines).</li>
 *   <li>{@code FieldSection}: field lines of one section, combined per RFC 9110 §5.3.</li>
 *   <li>{@code HttpSyntax}: character classes and list and number grammars (RFC 9110 §5.6).</li>
 *   <li>{@link dev.sluice.samples.http.ResponseListener} and
 *       {@link dev.sluice.samples.http.HttpParseException}: what the parser reports.</li>
 * </ul>
 *
 * <p>Not supported yet: https, request bodies, response content codings (gzip), 101 upgrades.
 */
package dev.sluice.samples.http;
