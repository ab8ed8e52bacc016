package dev.sorabatch.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when to ask about a job. Polling early wastes quota, polling late wastes a slot; so the first poll
 * comes when a job of that shape (size, seconds, variants) could plausibly be done, learned from the jobs this
 * run has finished, then close polls around that time, then the regular interval. Before anything is learned
 * it polls at the regular interval, backing off. A poll hint from the service ({@code Retry-After}) wins.
 */
public class PollPlanner {

    private static final int KEPT = 25;
    private static final double FIRST_POLL_AT = 0.9;
    private static final double CLOSE_STEP = 0.04;
    private static final double CLOSE_WINDOW = 1.5;

    private final Duration interval;
    private final Duration minStep;
    private final boolean adaptive;
    private final Map<String, Deque<Long>> observedMillis = new ConcurrentHashMap<>();
    private final Deque<Long> allObservedMillis = new ArrayDeque<>();

    public PollPlanner(Duration interval, Duration minStep, boolean adaptive) {
        this.interval = interval;
        this.minStep = minStep;
        this.adaptive = adaptive;
    }

    public Instant firstPoll(Shape shape, Instant submitted) {
        Long typical = typicalMillis(shape);
        if (typical == null) {
            return submitted.plus(interval);
        }
        return submitted.plusMillis((long) (typical * FIRST_POLL_AT));
    }

    /** After a poll that found the job still going; {@code polls} is how many were made so far. */
    public Instant nextPoll(Shape shape, Instant submitted, Instant now, int polls, Duration serviceHint) {
        if (serviceHint != null && !serviceHint.isNegative() && !serviceHint.isZero()) {
            return now.plus(serviceHint);
        }
        Long typical = typicalMillis(shape);
        if (typical == null) {
            // Nothing learned yet: back off from the interval (x1.5 per poll, up to 4 intervals), so a first
            // wave of long jobs costs a few polls each rather than one per interval.
            double factor = adaptive ? Math.min(4, Math.pow(1.5, Math.max(0, polls))) : 1;
            return now.plusMillis((long) (interval.toMillis() * factor));
        }
        long elapsed = Duration.between(submitted, now).toMillis();
        if (elapsed < typical * CLOSE_WINDOW) {
            long step = Math.max(minStep.toMillis(), (long) (typical * CLOSE_STEP));
            return now.plusMillis(Math.min(step, interval.toMillis()));
        }
        return now.plus(interval);
    }

    /** A job of this shape was seen finished this long after it was submitted. */
    public void observe(Shape shape, Duration submitToDone) {
        if (!adaptive) {
            return;
        }
        long millis = submitToDone.toMillis();
        Deque<Long> kept = observedMillis.computeIfAbsent(shape.key(), k -> new ArrayDeque<>());
        synchronized (kept) {
            kept.addLast(millis);
            if (kept.size() > KEPT) {
                kept.removeFirst();
            }
        }
        synchronized (allObservedMillis) {
            allObservedMillis.addLast(millis);
            if (allObservedMillis.size() > KEPT) {
                allObservedMillis.removeFirst();
            }
        }
    }

    /** The median time to done for this shape, else for any job of this run; null before the first one. */
    Long typicalMillis(Shape shape) {
        if (!adaptive) {
            return null;
        }
        Deque<Long> kept = observedMillis.get(shape.key());
        Long median = kept == null ? null : median(kept);
        return median != null ? median : median(allObservedMillis);
    }

    private static Long median(Deque<Long> values) {
        List<Long> copy;
        synchronized (values) {
            if (values.isEmpty()) {
                return null;
            }
            copy = new ArrayList<>(values);
        }
        Collections.sort(copy);
        return copy.get(copy.size() / 2);
    }

    /** What makes jobs take longer: resolution, duration and number of variants. */
    public record Shape(Integer width, Integer height, Integer nSeconds, Integer nVariants) {
        String key() {
            return width + "x" + height + "/" + nSeconds + "s/" + nVariants;
        }

        static Shape of(LedgerEntry entry) {
            return new Shape(entry.width(), entry.height(), entry.nSeconds(), entry.nVariants());
        }
    }
}
