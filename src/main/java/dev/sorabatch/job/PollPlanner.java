package dev.sorabatch.job;

import dev.sorabatch.ledger.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when to ask about a job. Polling early wastes quota, polling late wastes a slot; so the first poll
 * comes just after a job of that shape (size, seconds, variants) is expected to be done, then follow-up polls at a
 * pace the spare request budget pays for, then the regular interval. Before anything is learned it polls at the
 * regular interval, backing off. A poll hint from the service ({@code Retry-After}) wins.
 * <p>
 * What it learns is the service's own time for a job ({@link Observation}): its timestamps when it gives them, else
 * the bracket between the last poll that saw the job running and the first that saw it done. A bracket that holds
 * time the process was not running, or a client retry pause, only bounds the estimate (censored data): it never
 * becomes the estimate. The estimate moves quickly both ways (exponential average, faster downwards), so a late
 * poll cannot feed on itself.
 */
public class PollPlanner {

    /** How far the estimate moves toward an observation shorter, or longer, than itself. */
    private static final double DOWN = 0.5;
    private static final double UP = 0.3;
    /** The first poll comes this share of the estimate after it (and at least a quarter of the minimum step). */
    private static final double FIRST_POLL_MARGIN = 0.02;
    /** A video at best costs a create, one poll and two downloads. */
    private static final int BASE_REQUESTS = 4;
    /** Follow-up polls spend at most this share of the quota, and only what the jobs themselves leave over. */
    private static final double SPARE_SHARE = 0.5;
    private static final double USABLE_QUOTA = 0.9;
    /** Follow-up polls this close to the expected finish, at the paid-for pace, before the sparser ones. */
    private static final int CLOSE_POLLS = 2;
    /**
     * While nothing is learned of a shape, its first job (the scout) is also polled at these times after its create,
     * those shorter than the interval: a short job is then seen done in seconds, and what it teaches brings the
     * others' first polls forward. A long job costs the few extra polls once per shape and run.
     */
    private static final List<Duration> SCOUT_POLLS = List.of(Duration.ofMillis(1000), Duration.ofMillis(2200),
            Duration.ofMillis(4000));
    /** A job seen done at its first poll tells only an upper bound: the estimate probes this much lower. */
    private static final double PROBE = 0.9;

    /** The request budget and the slots it is shared by; a rate of 0 means no quota. */
    public interface Quota {
        double requestsPerSecond();

        int inFlightCap();

        Quota UNLIMITED = new Quota() {
            public double requestsPerSecond() {
                return 0;
            }

            public int inFlightCap() {
                return 1;
            }
        };
    }

    /**
     * What one finished job told about its length (ms): it ran at least {@code lo} and at most {@code hi}; the
     * service said {@code service} (null when it gives no timestamps); {@code clean} when the bracket holds
     * neither a client retry pause nor time the process was not running.
     */
    public record Observation(long lo, long hi, Long service, boolean clean) {
        public static Observation exact(Duration d) {
            return new Observation(d.toMillis(), d.toMillis(), d.toMillis(), true);
        }
    }

    private final Duration interval;
    private final Duration minStep;
    private final boolean adaptive;
    private final Quota quota;
    private final Map<String, Long> estimates = new ConcurrentHashMap<>();
    /** Per shape, the one job (run:row) polled early while nothing is learned: the scout. */
    private final Map<String, String> scouts = new ConcurrentHashMap<>();
    private static final String ANY = "*";

    public PollPlanner(Duration interval, Duration minStep, boolean adaptive) {
        this(interval, minStep, adaptive, Quota.UNLIMITED);
    }

    public PollPlanner(Duration interval, Duration minStep, boolean adaptive, Quota quota) {
        this.interval = interval;
        this.minStep = minStep;
        this.adaptive = adaptive;
        this.quota = quota;
    }

    public Instant firstPoll(Shape shape, Instant submitted) {
        return firstPoll(shape, submitted, null);
    }

    /** @param job the job's key (run:row), by which a scout is known at its next polls; null: never a scout */
    public Instant firstPoll(Shape shape, Instant submitted, String job) {
        Duration delay = firstPollDelay(shape);
        if (delay != null) {
            return submitted.plus(delay);
        }
        if (adaptive && job != null && scouts.putIfAbsent(shape.key(), job) == null) {
            return submitted.plus(SCOUT_POLLS.get(0));
        }
        return submitted.plus(interval);
    }

    /** How long after its create a job of this shape is first polled, as learned; null before anything is. */
    public Duration firstPollDelay(Shape shape) {
        Long typical = typicalMillis(shape);
        if (typical == null) {
            return null;
        }
        long margin = Math.max(minStep.toMillis() / 4, (long) (typical * FIRST_POLL_MARGIN));
        return Duration.ofMillis(typical + margin);
    }

    /** After a poll that found the job still going; {@code polls} is how many were made so far. */
    public Instant nextPoll(Shape shape, Instant submitted, Instant now, int polls, Duration serviceHint) {
        return nextPoll(shape, submitted, now, polls, serviceHint, null);
    }

    public Instant nextPoll(Shape shape, Instant submitted, Instant now, int polls, Duration serviceHint,
            String job) {
        if (serviceHint != null && !serviceHint.isNegative() && !serviceHint.isZero()) {
            return now.plus(serviceHint);
        }
        Long typical = typicalMillis(shape);
        if (typical == null && job != null && job.equals(scouts.get(shape.key()))) {
            Duration elapsed = Duration.between(submitted, now);
            for (Duration at : SCOUT_POLLS) {
                if (at.compareTo(elapsed.plus(minStep)) > 0 && at.compareTo(interval) < 0) {
                    return submitted.plus(at);
                }
            }
            // past its early polls, the scout polls like the others (the interval, backing off)
            polls = Math.max(0, polls - SCOUT_POLLS.size());
        }
        if (typical == null) {
            // Nothing learned yet: back off from the interval (x1.5 per poll, up to 4 intervals), so a first
            // wave of long jobs costs a few polls each rather than one per interval.
            double factor = adaptive ? Math.min(4, Math.pow(1.5, Math.max(0, polls))) : 1;
            return now.plusMillis((long) (interval.toMillis() * factor));
        }
        long elapsed = Duration.between(submitted, now).toMillis();
        long step = stepMillis(typical);
        if (elapsed < typical) {
            // Early (a hint, or a poll from before a restart): come back at the expected finish.
            return now.plusMillis(Math.max(minStep.toMillis(), typical - elapsed + step / 2));
        }
        long over = elapsed - typical;
        if (over <= step * CLOSE_POLLS) {
            return now.plusMillis(step);
        }
        // Longer than expected: sparser polls, growing with the overrun, never sparser than the interval.
        return now.plusMillis(Math.min(interval.toMillis(), Math.max(step, over / 2)));
    }

    /**
     * The time between follow-up polls of one job: what the quota has left over once every slot's own requests
     * (create, a poll, the downloads) are paid, shared by the slots, and no more than {@link #SPARE_SHARE} of the
     * quota; when the quota binds, a tenth of the job's length (the poll rarely needed, and it must not cost the
     * next create).
     */
    long stepMillis(long typical) {
        long sparse = Math.max(minStep.toMillis(), typical / 10);
        double rate = quota.requestsPerSecond();
        int cap = Math.max(1, quota.inFlightCap());
        if (rate <= 0) {
            return Math.max(minStep.toMillis(), (long) (typical * 0.02));
        }
        double needed = cap * BASE_REQUESTS / Math.max(0.001, typical / 1000.0);
        double spare = Math.min(rate * USABLE_QUOTA - needed, rate * SPARE_SHARE);
        if (spare <= 0) {
            return sparse;
        }
        long paced = (long) (1000.0 * cap / spare);
        return Math.min(sparse, Math.max(minStep.toMillis(), paced));
    }

    /** A job of this shape was seen finished this long after it was submitted (an exact observation). */
    public void observe(Shape shape, Duration submitToDone) {
        observe(shape, Observation.exact(submitToDone));
    }

    public void observe(Shape shape, Observation seen) {
        if (!adaptive) {
            return;
        }
        learn(shape.key(), seen);
        learn(ANY, seen);
    }

    private void learn(String key, Observation seen) {
        estimates.compute(key, (k, estimate) -> {
            Long target = target(estimate, seen);
            if (target == null) {
                return estimate;
            }
            if (estimate == null) {
                return target;
            }
            double weight = target < estimate ? DOWN : UP;
            return Math.round(estimate + weight * (target - estimate));
        });
    }

    /** What an observation says the job's length was, when it says it (for keeping in the ledger); else null. */
    static Long pointOf(Observation seen) {
        long lo = Math.max(0, seen.lo());
        long hi = Math.max(lo, seen.hi());
        if (seen.service() != null) {
            return Math.max(lo, Math.min(hi, seen.service()));
        }
        return seen.clean() && lo > 0 ? (lo + hi) / 2 : null;
    }

    /** Where this observation pulls the estimate; null when it says nothing about it. */
    private static Long target(Long estimate, Observation seen) {
        Long point = pointOf(seen);
        if (point != null) {
            // The service's own clock (whole seconds) kept inside what the polls saw, or a clean bracket's middle.
            return point;
        }
        long lo = Math.max(0, seen.lo());
        long hi = Math.max(lo, seen.hi());
        if (!seen.clean()) {
            // Censored: dead time or a retry pause lies inside [lo, hi]; it can only bound the estimate.
            if (estimate == null) {
                return null;
            }
            return estimate > hi ? Long.valueOf(hi) : estimate < lo ? Long.valueOf(lo) : null;
        }
        // Done at its first poll: no more than hi, perhaps much less; probe a little earlier next time.
        return Math.round((estimate == null ? hi / 2.0 : Math.min(estimate, hi)) * PROBE);
    }

    /** The learned service time for this shape, else for any job of this run; null before the first one. */
    Long typicalMillis(Shape shape) {
        if (!adaptive) {
            return null;
        }
        Long own = estimates.get(shape.key());
        return own != null ? own : estimates.get(ANY);
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
