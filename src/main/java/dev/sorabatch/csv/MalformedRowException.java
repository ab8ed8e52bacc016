package dev.sorabatch.csv;

/** One record could not be parsed (e.g. an unterminated quote); the record is skipped and reported. */
public class MalformedRowException extends RuntimeException {

    private final int rowNumber;
    private final long line;

    public MalformedRowException(int rowNumber, long line, String message, Throwable cause) {
        super(dev.sorabatch.i18n.Messages.get("row.malformed", rowNumber, line, message), cause);
        this.rowNumber = rowNumber;
        this.line = line;
    }

    public int rowNumber() { return rowNumber; }
    public long line() { return line; }
}
