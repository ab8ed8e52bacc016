package dev.sorabatch.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;

/**
 * The bottom line of a terminal that holds the progress bar, and the lines printed above it. Every line written
 * through {@link #above} first erases the bar ({@code \r} and ANSI erase-line, so no bar is left in the
 * scrollback and no message starts after a bar's text), then is written whole, then the bar is drawn again below
 * it. Writes are kept until their line ends: a line is never split by a redraw.
 */
final class BarScreen {

    static final String CLEAR_LINE = "\r\033[2K";

    private final PrintStream terminal;
    private String bar;
    private boolean finished;

    /** @param terminal where the bar is drawn */
    BarScreen(PrintStream terminal) {
        this.terminal = terminal;
    }

    /** Draws (or redraws) the bar in place; nothing once {@link #finish finished}. */
    synchronized void draw(String line) {
        if (finished) {
            return;
        }
        bar = line;
        terminal.print(CLEAR_LINE + line);
        terminal.flush();
    }

    /** Draws the bar a last time and ends its line: what follows starts below the final bar. */
    synchronized void finish(String line) {
        if (line != null) {
            draw(line);
        }
        if (bar != null) {
            terminal.println();
            terminal.flush();
        }
        bar = null;
        finished = true;
    }

    /**
     * A stream whose complete lines are printed above the bar, into {@code target} (standard output or error;
     * often the same terminal as the bar). Install it as {@code System.out}/{@code System.err} while the bar is
     * shown: the console log appender writes through them.
     */
    PrintStream above(PrintStream target, Charset charset) {
        try {
            return new PrintStream(new Lines(target), true, charset.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized void printAbove(PrintStream target, byte[] text, int length) {
        if (bar != null) {
            terminal.print(CLEAR_LINE);
            terminal.flush();
        }
        target.write(text, 0, length);
        target.flush();
        if (bar != null) {
            draw(bar);
        }
    }

    private final class Lines extends OutputStream {

        private final PrintStream target;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Lines(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (BarScreen.this) {
                int lastNewline = -1;
                for (int i = off + len - 1; i >= off; i--) {
                    if (b[i] == '\n') {
                        lastNewline = i;
                        break;
                    }
                }
                if (lastNewline < 0) {
                    pending.write(b, off, len);
                    return;
                }
                pending.write(b, off, lastNewline - off + 1);
                printAbove(target, pending.toByteArray(), pending.size());
                pending.reset();
                pending.write(b, lastNewline + 1, off + len - lastNewline - 1);
            }
        }

        /** A line that never ended is printed when the bar goes away. */
        @Override
        public void close() throws IOException {
            synchronized (BarScreen.this) {
                if (pending.size() > 0) {
                    printAbove(target, pending.toByteArray(), pending.size());
                    pending.reset();
                }
            }
        }
    }
}
