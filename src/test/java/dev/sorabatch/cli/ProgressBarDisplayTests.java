package dev.sorabatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.sorabatch.ledger.RunCounts;

/** The bar drawn into a fake terminal, with log lines printed above it. */
class ProgressBarDisplayTests {

    private static final String WARNING = "08:58:14 WARN  row 6: FAILED, job task_01: the prompt was refused";

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<RunCounts> counts = new AtomicReference<>(counts(2, 0, 0, 2));

    private FakeTerminal terminal;
    private ProgressBarDisplay display;
    /** A log line printed while the bar is shown (standard output and the bar share the terminal). */
    private PrintStream log;

    private void start(int width) {
        terminal = new FakeTerminal(width);
        BarScreen screen = new BarScreen(terminal.stream());
        display = new ProgressBarDisplay(12, counts::get, screen, () -> width, nanos::get, Duration.ZERO);
        log = screen.above(terminal.stream(), StandardCharsets.UTF_8);
    }

    private static RunCounts counts(int succeeded, int failed, int skipped, int inFlight) {
        return new RunCounts(succeeded, failed, skipped, inFlight, 0, 0, 0);
    }

    @Test
    void aLinePrintedWhileTheBarIsShownClearsTheBarFirstAndTheBarIsRedrawnBelowIt() {
        start(150);
        display.refresh();
        String bar = terminal.lines().get(0);

        log.println(WARNING);

        String written = terminal.written();
        // the bar's line is erased before the message, and the bar comes back after it
        assertThat(written).contains(bar + BarScreen.CLEAR_LINE + WARNING + "\n" + BarScreen.CLEAR_LINE + bar);
        assertThat(terminal.lines()).containsExactly(WARNING, bar);
    }

    @Test
    void noStaleBarIsLeftInTheScrollback() {
        start(80);
        for (int i = 1; i <= 12; i++) {
            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            counts.set(counts(i - i / 4, i / 4, 0, Math.min(2, 12 - i)));
            display.refresh();
            if (i % 4 == 0) {
                log.println(WARNING + " " + i);
            }
            display.refresh();
        }
        display.close();
        log.println("sora-batch: 9 succeeded, 3 failed, 0 skipped");

        List<String> lines = terminal.lines();
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(0, 3)).allMatch(line -> line.startsWith(WARNING));
        // one bar only, the final one, on a line of its own above what follows
        assertThat(lines.get(3)).isEqualTo("12/12 rows · 0 in flight · 3 failed · elapsed 0:00:24");
        assertThat(lines.get(4)).isEqualTo("sora-batch: 9 succeeded, 3 failed, 0 skipped");
    }

    @Test
    void aLineWrittenInPiecesIsPrintedWholeAboveTheBar() {
        start(150);
        display.refresh();

        log.print("08:58:14 WARN  ");
        display.refresh();
        log.print("row 6: FAILED\nrow 7: ");
        display.refresh();
        log.println("FAILED");

        List<String> lines = terminal.lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.subList(0, 2)).containsExactly("08:58:14 WARN  row 6: FAILED", "row 7: FAILED");
        assertThat(lines.get(2)).startsWith("sora-batch  16% [");
    }

    @Test
    void atEightyColumnsNoLineIsWiderAndAllCountsAreThere() {
        start(80);
        nanos.set(Duration.ofSeconds(24).toNanos());
        counts.set(new RunCounts(9, 1, 2, 2, 0, 0, 0, 40));

        display.refresh();

        String line = terminal.lines().get(0);
        assertThat(terminal.lines()).hasSize(1);
        assertThat(line.length()).isLessThan(80);
        assertThat(line).isEqualTo("12/12 rows · 2 in flight (40 %) · 1 failed · 2 skipped · elapsed 0:00:24")
                .doesNotContain("[");
    }

    @Test
    void atOneHundredFiftyColumnsTheFullBarShowsLabelledTimes() {
        start(150);
        counts.set(counts(0, 0, 0, 2));
        display.refresh();
        nanos.set(Duration.ofSeconds(24).toNanos());
        counts.set(counts(9, 1, 0, 2));

        display.refresh();

        String line = terminal.lines().get(0);
        assertThat(line.length()).isLessThan(150);
        assertThat(line).matches("sora-batch  83% \\[=+> +\\] 10/12 rows · 2 in flight · 1 failed · 0 skipped · "
                + "25\\.0 rows/min · elapsed 0:00:24 · left ~0:00:04").doesNotContain("(0:00");
    }
}
