package dev.sluice.samples.file;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Which names a receiver accepts: a plain file name that lands in the target directory and nowhere
 * else. Refused: empty names, {@code .} and {@code ..}, any {@code /} or {@code \} (so no absolute
 * path and no traversal: with no separator, {@code ..} inside a name such as {@code a..b} is an ordinary
 * name), a Windows drive prefix ({@code C:}), NUL and other control characters, and names over 255
 * bytes. As a second line of defence the resolved path must still have the directory as its parent.
 *
 * <p>Thread: any (stateless).
 */
public final class SafeNames {
    private SafeNames() {
    }

    /**
     * Thread: any.
     *
     * @param name a name as received
     * @return why it is refused, or {@code null} if it is acceptable
     */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "empty name";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' is not a file name";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > TransferProtocol.MAX_NAME_BYTES) {
            return "longer than " + TransferProtocol.MAX_NAME_BYTES + " bytes";
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            return "a drive prefix is not a file name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return "a path, not a file name (contains '" + c + "')";
            }
            if (c == 0) {
                return "contains NUL";
            }
            if (c < 0x20 || c == 0x7f) {
                return "contains control characters";
            }
        }
        return null;
    }

    /**
     * Resolves {@code name} in {@code dir}, refusing anything {@link #problem} refuses or that would not
     * land directly in {@code dir}.
     *
     * <p>Thread: any.
     *
     * @param dir  the target directory (absolute, normalized)
     * @param name the name as received
     * @return the path in {@code dir}
     * @throws IllegalArgumentException with the reason when the name is refused
     */
    public static Path resolve(Path dir, String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Path target = dir.resolve(name).normalize();
        if (!dir.equals(target.getParent())) {
            throw new IllegalArgumentException("would land outside the target directory");
        }
        return target;
    }
}
