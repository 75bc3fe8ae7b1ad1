package dev.sluice.samples.support;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code --csv FILE|-} and {@code --json FILE|-} put a run's result, the same for every tool that
 * has them: {@code -} prints to standard output; a CSV file gets one line appended (the header first when
 * the file is new or empty), so repeated runs collect into one table; a JSON file is written whole.
 *
 * <p>Thread: the command's thread.
 */
public final class ResultFiles {
    private ResultFiles() {
    }

    /**
     * Thread: the command's thread. Writes the CSV line and the JSON object where the options say; a
     * {@code null} option writes nothing.
     *
     * @param out       standard output
     * @param csv       the {@code --csv} value, or {@code null}
     * @param csvHeader the CSV header line
     * @param csvLine   the result as one CSV line
     * @param json      the {@code --json} value, or {@code null}
     * @param jsonText  the result as one JSON object
     * @throws IOException when a file cannot be written
     */
    public static void write(PrintStream out, String csv, String csvHeader, String csvLine, String json, String jsonText)
            throws IOException {
        if ("-".equals(csv)) {
            out.println(csvHeader);
            out.println(csvLine);
        } else if (csv != null) {
            Path file = Path.of(csv);
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            try (PrintStream f = new PrintStream(new FileOutputStream(file.toFile(), true), false, StandardCharsets.UTF_8)) {
                if (fresh) {
                    f.println(csvHeader);
                }
                f.println(csvLine);
            }
        }
        if ("-".equals(json)) {
            out.println(jsonText);
        } else if (json != null) {
            Files.writeString(Path.of(json), jsonText + System.lineSeparator(), StandardCharsets.UTF_8);
        }
    }
}
