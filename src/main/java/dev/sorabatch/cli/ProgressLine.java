package dev.sorabatch.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.RunCounts;

/**
 * The text of the progress bar for a terminal of a given width; never wider than the width less one column (a
 * character in the last column makes some terminals wrap, and a wrapped bar cannot be redrawn in place).
 *
 * <ul>
 * <li>wide (about 130 columns and more for a run of a few hundred rows): {@code sora-batch  83% [=====>   ]
 * 10/12 rows · 1 in flight · 0 failed · 0 skipped · 25.0 rows/min · elapsed 0:00:24 · left ~0:00:04}; a little
 * narrower, the same without the rate;</li>
 * <li>narrower still: the same counts without the bracket bar, {@code 10/12 rows · 1 in flight · 1 failed · elapsed
 * 0:00:24 · left ~0:00:04}, then shorter forms down to {@code 10/12 · 1 failed · ~0:00:04} below ~50 columns.</li>
 * </ul>
 * Skipped rows show in the narrow forms only when there are some; the time left only once a row of this attempt is
 * done (a resumed run's rate counts only this attempt's rows).
 */
final class ProgressLine {

    private static final int MIN_BAR = 10;
    private static final int MAX_BAR = 50;
    private static final String SEP = " · ";

    private ProgressLine() {
    }

    /**
     * @param doneAtStart rows already done when this attempt started
     * @param elapsed time since this attempt started
     * @param width the terminal's columns; 0 or less when unknown (the full form with a bar of the usual width)
     */
    static String render(RunCounts c, long total, long doneAtStart, Duration elapsed, int width) {
        long done = c.succeeded() + c.failed() + c.skipped();
        Duration left = left(done, total, doneAtStart, elapsed);
        int room = width > 0 ? width - 1 : Integer.MAX_VALUE;
        String full = full(c, done, total, doneAtStart, elapsed, left, room);
        if (full != null) {
            return full;
        }
        for (String candidate : narrow(c, done, total, elapsed, left)) {
            if (candidate.length() <= room) {
                return candidate;
            }
        }
        String rows = done + "/" + total;
        return rows.substring(0, Math.max(0, Math.min(rows.length(), room)));
    }

    /** With the bracket bar, if one of at least {@value #MIN_BAR} characters fits (without the rate if need be). */
    private static String full(RunCounts c, long done, long total, long doneAtStart, Duration elapsed,
            Duration left, int room) {
        int percent = total == 0 ? 100 : (int) (done * 100 / total);
        String head = String.format(Locale.ROOT, "sora-batch %3d%% [", percent);
        String rate = Messages.get("progress.bar.rate",
                String.format(Messages.locale(), "%.1f", rate(done - doneAtStart, elapsed)));
        String counts = String.join(SEP, rows(done, total), inFlight(c, true), failed(c), skipped(c));
        for (String tail : List.of(String.join(SEP, counts, rate, times(elapsed, left)),
                String.join(SEP, counts, times(elapsed, left)))) {
            int barWidth = Math.min(MAX_BAR, room - head.length() - 2 - tail.length());
            if (barWidth >= MIN_BAR) {
                int filled = total == 0 ? barWidth : (int) (barWidth * done / total);
                StringBuilder bar = new StringBuilder(head);
                for (int i = 0; i < barWidth; i++) {
                    bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
                }
                return bar.append("] ").append(tail).toString();
            }
        }
        return null;
    }

    /** Richest first; the first that fits is drawn. */
    private static List<String> narrow(RunCounts c, long done, long total, Duration elapsed, Duration left) {
        List<String> rest = new ArrayList<>(List.of(failed(c)));
        if (c.skipped() > 0) {
            rest.add(skipped(c));
        }
        String restText = String.join(SEP, rest);
        String rows = rows(done, total);
        String bare = done + "/" + total;
        String times = times(elapsed, left);
        String leftOnly = left == null ? "" : SEP + Messages.get("progress.bar.left", clock(left));
        String shortLeft = left == null ? "" : SEP + "~" + clock(left);
        return List.of(
                String.join(SEP, rows, inFlight(c, true), restText, times),
                String.join(SEP, rows, inFlight(c, false), restText, times),
                String.join(SEP, rows, inFlight(c, false), restText) + leftOnly,
                String.join(SEP, bare, inFlight(c, false), restText) + shortLeft,
                bare + SEP + restText + shortLeft,
                bare + SEP + failed(c));
    }

    private static String rows(long done, long total) {
        return Messages.get("progress.bar.rows", done, total);
    }

    private static String inFlight(RunCounts c, boolean withProgress) {
        return Messages.get("progress.bar.in-flight", c.inFlight()) + (withProgress && c.inFlightProgress() != null
                ? Messages.get("progress.bar.in-flight-progress", c.inFlightProgress()) : "")
                + (withProgress && c.queued() > 0 ? Messages.get("progress.bar.in-flight-queued", c.queued()) : "");
    }

    private static String failed(RunCounts c) {
        return Messages.get("progress.bar.failed", c.failed());
    }

    private static String skipped(RunCounts c) {
        return Messages.get("progress.bar.skipped", c.skipped());
    }

    private static String times(Duration elapsed, Duration left) {
        String text = Messages.get("progress.bar.elapsed", clock(elapsed));
        return left == null ? text : text + SEP + Messages.get("progress.bar.left", clock(left));
    }

    private static double rate(long doneThisAttempt, Duration elapsed) {
        double minutes = elapsed.toMillis() / 60_000.0;
        return minutes > 0 ? doneThisAttempt / minutes : 0;
    }

    /** Null until a row of this attempt is done, and once all are. */
    private static Duration left(long done, long total, long doneAtStart, Duration elapsed) {
        long doneNow = done - doneAtStart;
        if (doneNow <= 0 || done >= total) {
            return null;
        }
        return Duration.ofMillis((long) Math.ceil((double) elapsed.toMillis() * (total - done) / doneNow));
    }

    /** H:MM:SS. */
    static String clock(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
