package dev.sluice.samples.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SafeNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a.txt", "archive.tar.gz", ".bashrc", "a..b", "..hidden", "with space",
            "\u65e5\u672c\u8a9e.txt", "report:2024.txt"})
    void shouldAcceptPlainFileNames(String name) {
        assertNull(SafeNames.problem(name), name);
        Path dir = Path.of("/srv/in");
        assertEquals(dir.resolve(name), SafeNames.resolve(dir, name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../etc/passwd", "../../x", "a/../../x", "sub/file", "/etc/passwd",
            "\\\\server\\share", "..\\x", "a\\b", "C:evil", "c:\\windows", "nul\u0000byte", "bell\u0007",
            "new\nline", "del\u007f"})
    void shouldRefuseAnythingThatIsNotAPlainName(String name) {
        assertNotNull(SafeNames.problem(name), name);
        assertThrows(IllegalArgumentException.class, () -> SafeNames.resolve(Path.of("/srv/in"), name));
    }

    @Test
    void shouldRefuseNamesLongerThan255Bytes() {
        assertNull(SafeNames.problem("x".repeat(255)));
        assertNotNull(SafeNames.problem("x".repeat(256)));
        assertNotNull(SafeNames.problem("\u00e9".repeat(128)), "256 bytes of UTF-8 in 128 characters");
    }
}
