package dev.sorabatch.cli;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import dev.sorabatch.job.RunCounts;

/**
 * The live progress bar on a terminal: rows done of total, rows per minute and time left (computed by the
 * library), with in flight, failed and skipped beside it. A resumed run's bar starts at the rows already done, so
 * its rate and ETA count only this attempt's work.
 */
final class ProgressBarDisplay implements AutoCloseable {

    private static final int FULL_WIDTH = 160;

    private final long total;
    private final Supplier<RunCounts> counts;
    private final PrintStream terminal;
    private final ScheduledExecutorService timer;
    private ProgressBar bar;

    /** @param terminal where the bar is drawn, or null for standard error at the terminal's width */
    ProgressBarDisplay(long total, Supplier<RunCounts> counts, PrintStream terminal, Duration refresh) {
        this.total = total;
        this.counts = counts;
        this.terminal = terminal;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sora-progress-bar");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void refresh() {
        try {
            RunCounts c = counts.get();
            if (c == null) {
                return;
            }
            long done = c.succeeded() + c.failed() + c.skipped();
            if (bar == null) {
                bar = build(done);
            }
            bar.stepTo(done);
            bar.setExtraMessage(String.format(Locale.ROOT, " · %d in flight%s, %d failed, %d skipped", c.inFlight(),
                    c.inFlightProgress() == null ? "" : " (" + c.inFlightProgress() + " %)", c.failed(), c.skipped()));
        } catch (RuntimeException e) {
            // progress is best effort: never disturb the run
        }
    }

    private ProgressBar build(long alreadyDone) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName("sora-batch")
                .setInitialMax(total)
                .startsFrom(alreadyDone, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" rows", 1)
                .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                .setSpeedUnit(ChronoUnit.MINUTES)
                .setUpdateIntervalMillis(500);
        // The plain console consumer: the library's interactive one closes its JLine terminal on finish, and with it
        // the process's standard output, so the summary that follows the bar would never be printed.
        // Without a terminal (a bar forced with sora.progress=bar) the width is unknown: draw the full line.
        builder.setConsumer(terminal != null ? new ConsoleProgressBarConsumer(terminal, FULL_WIDTH)
                : System.console() == null ? new ConsoleProgressBarConsumer(System.err, FULL_WIDTH)
                : new ConsoleProgressBarConsumer(System.err));
        return builder.build();
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        refresh();
        if (bar != null) {
            bar.close();
        }
    }
}
