package dev.sorabatch.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.RunCounts;

/**
 * A progress line every few seconds while a run goes (for logs and schedulers, where no progress bar can be
 * drawn): done of total, in flight, failed and skipped, rate and an estimate of the time left.
 */
final class ProgressLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.sorabatch.progress");

    private final ScheduledExecutorService timer;
    private final long started = System.nanoTime();

    ProgressLog(long totalRows, Duration every, Supplier<RunCounts> counts) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sora-progress");
            t.setDaemon(true);
            return t;
        });
        if (!every.isZero() && !every.isNegative()) {
            timer.scheduleAtFixedRate(() -> report(totalRows, counts), every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void report(long total, Supplier<RunCounts> counts) {
        try {
            RunCounts c = counts.get();
            if (c == null) {
                return;
            }
            long done = c.succeeded() + c.failed() + c.skipped();
            double minutes = (System.nanoTime() - started) / 60e9;
            double rate = minutes > 0 ? done / minutes : 0;
            String eta = rate > 0 && total > done ? Messages.get("progress.eta",
                    String.format(Locale.ROOT, "%.0f", Math.ceil((total - done) / rate))) : "";
            String inFlightProgress = (c.inFlightProgress() == null ? ""
                    : Messages.get("progress.in-flight-progress", c.inFlightProgress()))
                    + (c.queued() == 0 ? "" : Messages.get("progress.in-flight-queued", c.queued(), c.nextInQueue()));
            log.info(Messages.get("progress.line", done, total, c.succeeded(), c.failed(), c.skipped(), c.inFlight(),
                    Messages.decimal(rate, 1), eta, inFlightProgress));
        } catch (RuntimeException e) {
            // progress is best effort: never disturb the run
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
