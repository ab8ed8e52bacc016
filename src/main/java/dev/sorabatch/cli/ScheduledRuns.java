package dev.sorabatch.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.springframework.scheduling.support.CronExpression;

import dev.sorabatch.i18n.Messages;

/**
 * {@code --schedule=CRON}: the process stays up and runs the job at each tick of a Spring cron expression, each
 * run with an identity of its own (the tick's date), one at a time. A tick that comes while a run is still going
 * is skipped and said so: runs never overlap, and a night that runs long does not pile up work. A run that did not
 * finish (the process was killed or stopped) is resumed first when the scheduler starts again.
 */
final class ScheduledRuns {

    /** One run of the job for a tick; returns its exit code. */
    interface Run {
        int run(String label);
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TICK = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private final CronExpression cron;
    private final String cronText;
    private final ScheduleClock clock;
    private final int maxRuns;
    private final PrintStream out;
    private final CountDownLatch stop = new CountDownLatch(1);

    ScheduledRuns(String cronText, ScheduleClock clock, int maxRuns, PrintStream out) {
        this.cron = parse(cronText);
        this.cronText = cronText;
        this.clock = clock;
        this.maxRuns = maxRuns;
        this.out = out;
    }

    static CronExpression parse(String cronText) {
        try {
            return CronExpression.parse(cronText.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--schedule=\"" + cronText + "\" is not a cron expression (" + e.getMessage()
                    + "). It takes six fields, second minute hour day-of-month month day-of-week, like a Spring "
                    + "@Scheduled cron: \"0 0 2 * * *\" is 02:00 every day, \"0 30 1 * * MON-FRI\" 01:30 on weekdays.");
        }
    }

    /** Ends the waiting between ticks (a stop request); a run under way is stopped by its own means. */
    void stop() {
        stop.countDown();
    }

    /**
     * Runs until stopped or, when {@code maxRuns > 0}, until that many runs have been made.
     *
     * @param unfinished the label of a run to resume before the first tick, if any
     * @return the exit code of the last run, or 0 if none ran
     */
    int runUntilStopped(Optional<String> unfinished, Run run) throws InterruptedException {
        int runs = 0;
        int lastExit = ExitCodes.ALL_SUCCEEDED;
        if (unfinished.isPresent()) {
            out.println(Messages.get("schedule.resuming", unfinished.get()));
            lastExit = run.run(unfinished.get());
            runs++;
        }
        while (stop.getCount() > 0 && (maxRuns <= 0 || runs < maxRuns)) {
            ZonedDateTime tick = cron.next(clock.now());
            if (tick == null) {
                out.println(Messages.get("schedule.no-more-ticks", cronText));
                break;
            }
            out.println(Messages.get(clock.isCompressed() ? "schedule.next-compressed" : "schedule.next",
                    SHOWN.format(tick), cronText));
            if (!clock.sleepUntil(tick, stop)) {
                out.println(Messages.get("schedule.stopped-idle"));
                break;
            }
            lastExit = run.run(label(tick));
            runs++;
            reportMissedTicks(tick);
        }
        return lastExit;
    }

    /** The run's identity: its date when the schedule ticks at most daily, its date and time otherwise. */
    String label(ZonedDateTime tick) {
        ZonedDateTime following = cron.next(tick);
        boolean daily = following == null || Duration.between(tick, following).compareTo(Duration.ofHours(23)) >= 0;
        return (daily ? DAY : TICK).format(tick);
    }

    private void reportMissedTicks(ZonedDateTime started) {
        ZonedDateTime now = clock.now();
        int missed = 0;
        ZonedDateTime first = null;
        for (ZonedDateTime t = cron.next(started); t != null && !t.isAfter(now) && missed < 10_000; t = cron.next(t)) {
            first = first == null ? t : first;
            missed++;
        }
        if (missed > 0) {
            out.println(missed > 1 ? Messages.get("schedule.missed-many", label(started), SHOWN.format(first), missed - 1)
                    : Messages.get("schedule.missed-one", label(started), SHOWN.format(first)));
        }
    }
}
