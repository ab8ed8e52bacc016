package dev.sorabatch.csv;

/** The input file as a whole cannot be used (missing, unreadable, no header, no prompt column). */
public class InputFormatException extends RuntimeException {
    public InputFormatException(String message) {
        super(message);
    }

    public InputFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
