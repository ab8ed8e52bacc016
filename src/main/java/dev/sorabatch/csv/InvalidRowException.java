package dev.sorabatch.csv;

/**
 * A row that must not be sent: names the row, the column, the bad value and what is allowed. Thrown by the
 * validator and turned into a {@code SKIPPED} report line by the step's skip policy; it costs no API call.
 */
public class InvalidRowException extends RuntimeException {

    private final CsvRow row;
    private final String column;

    public InvalidRowException(CsvRow row, String column, String problem) {
        super(dev.sorabatch.i18n.Messages.get("row.where", row.rowNumber(), column, problem));
        this.row = row;
        this.column = column;
    }

    public CsvRow row() { return row; }
    public String column() { return column; }
}
