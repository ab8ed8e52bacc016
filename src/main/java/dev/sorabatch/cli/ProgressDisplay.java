package dev.sorabatch.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

import dev.sorabatch.ledger.RunCounts;

/**
 * Chooses how a run shows its progress ({@code sora.progress}): a bar when a person watches a terminal, a line in
 * the log every {@code sora.progress-every} otherwise (schedulers, CI, a redirected output), where a redrawn bar
 * would only fill the log with carriage returns.
 */
public final class ProgressDisplay {

    public enum Mode { AUTO, BAR, LOG }

    private final Mode mode;
    private final Duration logEvery;
    private final PrintStream barStream;
    private final Runnable quietRowLog;

    /**
     * @param barStream where a forced bar is drawn; null draws on the process's own terminal
     * @param quietRowLog called when the bar is shown: the routine per-row lines would push the bar up the screen
     *            at every row, so only warnings (failed and skipped rows) are printed above it
     */
    public ProgressDisplay(String mode, Duration logEvery, PrintStream barStream, Runnable quietRowLog) {
        this.quietRowLog = quietRowLog;
        try {
            this.mode = Mode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("sora.progress is '" + mode + "'; use auto, bar or log.");
        }
        this.logEvery = logEvery;
        this.barStream = barStream;
    }

    AutoCloseable start(long totalRows, Supplier<RunCounts> counts) {
        boolean bar = mode == Mode.BAR || (mode == Mode.AUTO && System.console() != null);
        if (bar) {
            quietRowLog.run();
        }
        return bar ? ProgressBarDisplay.onStandardStreams(totalRows, counts, barStream, Duration.ofSeconds(1))
                : new ProgressLog(totalRows, logEvery, counts);
    }
}
