package dev.sluice.samples.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * Thread: any; instances are immutable.
 *
 * <p>Maps request targets to regular files under one directory, refusing anything that would
 * leave it: {@code ..} segments, encoded slashes and NULs, and symbolic links that point outside.
 * A directory serves its {@code index.html}. The lookup is plain blocking file-system access on the
 * caller's thread, as in most event-loop servers without asynchronous file I/O; it is the static
 * path, not the benchmark path.
 */
final class StaticFiles {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"),
            Map.entry("pdf", "application/pdf"), Map.entry("wasm", "application/wasm"));

    /** An open file to send; the receiver closes {@code channel}. */
    record Opened(FileChannel channel, long size, String contentType) {
    }

    private final Path root;

    /**
     * @param root the directory to serve
     * @throws IOException if it does not exist or is not a directory
     */
    StaticFiles(Path root) throws IOException {
        Path real = root.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new IOException("not a directory: " + root);
        }
        this.root = real;
    }

    Path root() {
        return root;
    }

    /**
     * @param target the request target, origin-form ({@code /path?query})
     * @return the open file, or {@code null} when there is none to serve (404)
     */
    Opened open(String target) {
        String path = decode(stripQuery(target));
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return null;
        }
        Path file = root.resolve(path.substring(1)).normalize();
        if (!file.startsWith(root)) {
            return null;
        }
        try {
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            Path real = file.toRealPath();
            if (!real.startsWith(root) || !Files.isRegularFile(real)) {
                return null; // a symbolic link out of the root, or a device, socket or FIFO
            }
            FileChannel channel = FileChannel.open(real, StandardOpenOption.READ);
            try {
                return new Opened(channel, channel.size(), contentType(real.getFileName().toString()));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | SecurityException e) {
            return null; // unreadable: answered as missing rather than disclosing why
        }
    }

    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? "application/octet-stream" : type;
    }

    private static String stripQuery(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** RFC 3986 §2.1 percent-decoding into UTF-8; {@code null} for a malformed escape or an encoded slash. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (i + 2 >= s.length()) {
                return null;
            }
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0 || (hi << 4 | lo) == '/') {
                return null;
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toString(UTF_8);
    }
}
