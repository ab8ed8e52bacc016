package dev.sorabatch.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One streaming pass over a file's bytes that finds the first one that is not UTF-8 (a strict decoder's rules:
 * no overlong forms, no surrogates, nothing above U+10FFFF), the line it is on, and whether the file looks like
 * Windows-1252 (what Excel saves as "CSV" on Windows) rather than something else.
 */
final class Utf8Check {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /**
     * The first byte that is not UTF-8.
     *
     * @param line the physical line it is on (1 = first)
     * @param value the byte, 0-255
     * @param next the byte after it, or -1 at the end of the file
     */
    record Problem(long line, int value, int next, boolean utf16) {

        /** A Windows-1252 letter or punctuation mark followed by plain ASCII, as in {@code caf\u00e9,}. */
        boolean looksLikeWindows1252() {
            char c = windows1252();
            boolean text = Character.isLetter(c) || (c != '\uFFFD' && c >= 0x80 && !Character.isISOControl(c));
            return !utf16 && text && next < 0x80;
        }

        /** The character the byte stands for in Windows-1252 (U+FFFD for the five bytes it leaves undefined). */
        char windows1252() {
            return new String(new byte[] { (byte) value }, WINDOWS_1252).charAt(0);
        }

        String hex() {
            return String.format("0x%02X", value);
        }
    }

    private Utf8Check() {
    }

    /** @return the first problem, or null when the whole file is UTF-8 */
    static Problem firstProblem(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long line = 1;
            int need = 0;          // continuation bytes still expected
            int low = 0x80;        // allowed range of the next continuation byte
            int high = 0xBF;
            int lead = -1;         // the sequence's first byte, and its line
            long leadLine = 0;
            Problem pending = null; // an invalid lead byte, waiting for the byte after it
            boolean start = true;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    int b = buffer[i] & 0xFF;
                    if (pending != null) {
                        return new Problem(pending.line(), pending.value(), b, false);
                    }
                    int after = i + 1 < n ? buffer[i + 1] & 0xFF : -1;
                    if (start && (b == 0xFF && after == 0xFE || b == 0xFE && after == 0xFF)) {
                        return new Problem(1, b, after, true); // a UTF-16 byte order mark
                    }
                    start = false;
                    if (need > 0) {
                        if (b < low || b > high) {
                            return new Problem(leadLine, lead, b, false);
                        }
                        need--;
                        low = 0x80;
                        high = 0xBF;
                        continue;
                    }
                    if (b < 0x80) {
                        if (b == '\n') {
                            line++;
                        }
                        continue;
                    }
                    lead = b;
                    leadLine = line;
                    need = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : 0;
                    low = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
                    high = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
                    if (need == 0) {
                        pending = new Problem(line, b, -1, false);
                    }
                }
            }
            if (pending != null) {
                return pending;
            }
            return need > 0 ? new Problem(leadLine, lead, -1, false) : null;
        }
    }
}
