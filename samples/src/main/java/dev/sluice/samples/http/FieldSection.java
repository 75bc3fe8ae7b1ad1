package dev.sluice.samples.http;

import java.util.ArrayList;

/**
 * Thread: the owning parser's thread only; instances are not thread-safe.
 *
 * <p>The field lines of one header or trailer section, kept as received until {@link #combine} folds
 * lines with the same name into one field (RFC 9110 §5.3). The lists are cleared, not reallocated,
 * between responses. Its size is bounded by the parser's header limits.
 */
final class FieldSection {

    private final ArrayList<String> names = new ArrayList<>();
    private final ArrayList<String> values = new ArrayList<>();

    void clear() {
        names.clear();
        values.clear();
    }

    boolean isEmpty() {
        return names.isEmpty();
    }

    int size() {
        return names.size();
    }

    String name(int index) {
        return names.get(index);
    }

    String value(int index) {
        return values.get(index);
    }

    void add(String name, String value) {
        names.add(name);
        values.add(value);
    }

    /** RFC 9112 §5.2: a user agent replaces each obs-fold with SP before interpreting the value. */
    void unfoldIntoLast(String continuation) {
        if (continuation.isEmpty()) {
            return; // the fold was followed only by whitespace, which trimming removes anyway
        }
        int last = values.size() - 1;
        String value = values.get(last);
        values.set(last, value.isEmpty() ? continuation : value + " " + continuation);
    }

    /**
     * Joins lines with the same name (case-insensitive) into the first one, in order, with ", "
     * (RFC 9110 §5.3). Set-Cookie is exempt: its values may contain commas, so each line stays a field
     * of its own (RFC 9110 §5.3 note, RFC 6265 §3).
     */
    void combine() {
        int kept = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int first = name.equalsIgnoreCase("Set-Cookie") ? -1 : indexOf(name, kept);
            if (first >= 0) {
                values.set(first, values.get(first) + ", " + values.get(i));
            } else {
                names.set(kept, name);
                values.set(kept, values.get(i));
                kept++;
            }
        }
        names.subList(kept, names.size()).clear();
        values.subList(kept, values.size()).clear();
    }

    /** After {@link #combine}: the field's value, or null if absent. */
    String get(String name) {
        int index = indexOf(name, names.size());
        return index < 0 ? null : values.get(index);
    }

    private int indexOf(String name, int end) {
        for (int i = 0; i < end; i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
