package dev.sorabatch.http;

/**
 * An API credential, with surrounding whitespace removed (a key read from a CRLF file ends in a carriage return).
 * Its {@code toString} never shows it, so it cannot leak through logs or messages.
 */
public record ApiKey(String value) {

    public ApiKey {
        value = value == null ? null : value.strip();
    }

    public boolean isBlank() {
        return value == null || value.isBlank();
    }

    /**
     * The 1-based position of the first character an HTTP header value cannot hold (OkHttp allows tab and printable
     * ASCII), or 0 when there is none.
     */
    public int badCharPosition() {
        return badCharPosition(value);
    }

    /** The code point at {@link #badCharPosition()} ({@code U+000D}): names the character, not the key. */
    public String badChar() {
        int at = badCharPosition();
        return at == 0 ? "" : String.format("U+%04X", (int) value.charAt(at - 1));
    }

    static int badCharPosition(String text) {
        if (text == null) {
            return 0;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                return i + 1;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return isBlank() ? "(not set)" : "****";
    }
}
