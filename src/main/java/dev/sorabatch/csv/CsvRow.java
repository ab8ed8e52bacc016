package dev.sorabatch.csv;

import java.util.Map;

/**
 * One data record of the input CSV. {@code rowNumber} is the record number (1 = first data row, blank lines not
 * counted); {@code line} is the physical line it starts on, for messages a person can find in an editor.
 */
public record CsvRow(int rowNumber, long line, Map<String, String> values) {

    /** The trimmed value of a column, or null when the column is absent or blank. */
    public String value(String column) {
        String v = values.get(column);
        if (v == null) {
            return null;
        }
        String trimmed = v.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** The value without trimming (a prompt keeps its inner formatting), or null when absent or blank. */
    public String raw(String column) {
        String v = values.get(column);
        return v == null || v.isBlank() ? null : v;
    }
}
