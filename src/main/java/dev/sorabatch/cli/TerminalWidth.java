package dev.sorabatch.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The columns of the terminal the bar is drawn on: {@code stty size} on the controlling terminal (asked again every
 * few seconds, and at once after a SIGWINCH, so a resized window is followed), else {@code COLUMNS} when the environment has it; 0 when neither
 * answers (no terminal, or Windows without {@code stty}).
 */
final class TerminalWidth implements IntSupplier {

    private static final long ASK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final File TTY = new File("/dev/tty");

    private final String columnsVariable;
    private int columns;
    private long askedAt;
    private boolean asked;

    TerminalWidth() {
        this(System.getenv("COLUMNS"));
    }

    TerminalWidth(String columnsVariable) {
        this.columnsVariable = columnsVariable;
    }

    /** The window was resized (SIGWINCH): ask again at the next draw. */
    synchronized void resized() {
        asked = false;
    }

    @Override
    public synchronized int getAsInt() {
        if (!asked || System.nanoTime() - askedAt > ASK_EVERY_NANOS) {
            columns = stty();
            askedAt = System.nanoTime();
            asked = true;
        }
        Integer fromEnvironment = parse(columnsVariable);
        return columns > 0 || fromEnvironment == null ? columns : fromEnvironment;
    }

    private static int stty() {
        if (!TTY.exists()) {
            return 0;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return 0;
            }
            String[] rowsColumns = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip()
                    .split("\\s+");
            Integer value = rowsColumns.length == 2 ? parse(rowsColumns[1]) : null;
            return value == null ? 0 : value;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static Integer parse(String text) {
        try {
            int value = text == null ? 0 : Integer.parseInt(text.strip());
            return value > 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
