package dev.sorabatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A terminal of a given width for tests: what was written to it (bytes) and the lines a person would see on screen
 * and in the scrollback, after carriage returns, ANSI erase-line ({@code ESC[2K}) and the wrapping of lines longer
 * than the width.
 */
public final class FakeTerminal {

    private final int width;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    public FakeTerminal(int width) {
        this.width = width;
    }

    public PrintStream stream() {
        return stream;
    }

    /** Everything written, escapes included. */
    public String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The screen and scrollback, top to bottom, trailing blanks stripped. */
    public List<String> lines() {
        return render(written(), width);
    }

    /** The lines {@code text} leaves on a terminal {@code width} wide (0: never wraps). */
    public static List<String> render(String text, int width) {
        List<StringBuilder> lines = new ArrayList<>();
        lines.add(new StringBuilder());
        int col = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            StringBuilder line = lines.get(lines.size() - 1);
            if (ch == '\r') {
                col = 0;
            } else if (ch == '\n') {
                lines.add(new StringBuilder());
                col = 0;
            } else if (text.startsWith("\033[2K", i)) {
                line.setLength(0);
                i += 3;
            } else {
                if (width > 0 && col == width) {
                    line = new StringBuilder();
                    lines.add(line);
                    col = 0;
                }
                while (line.length() < col) {
                    line.append(' ');
                }
                if (col < line.length()) {
                    line.setCharAt(col, ch);
                } else {
                    line.append(ch);
                }
                col++;
            }
        }
        List<String> result = new ArrayList<>();
        for (StringBuilder line : lines) {
            result.add(line.toString().stripTrailing());
        }
        while (!result.isEmpty() && result.get(result.size() - 1).isEmpty()) {
            result.remove(result.size() - 1);
        }
        return result;
    }
}
