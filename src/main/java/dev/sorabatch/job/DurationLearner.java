package dev.sorabatch.job;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.service.VideoJob;

/**
 * What the collector teaches the poll planner: each ended job's length, honest about what it cannot know (a
 * retry pause, time before this process started), kept in the ledger so a restarted run starts from it.
 */
final class DurationLearner {

    private final Ledger ledger;
    private final RunState run;
    private final PollPlanner polls;
    /** Rows whose last poll failed: the gap to the next one is a retry pause, not the job's time (run:row). */
    private final Set<String> pollFailed = ConcurrentHashMap.newKeySet();
    /** Per run and shape, the first-poll delay the jobs in flight were last brought forward to. */
    private final java.util.Map<String, Long> pulledTo = new ConcurrentHashMap<>();
    private static final double PULL_STEP = 0.05;
    /** Rows whose next poll the service's own hint set (run:row). */
    private final Set<String> hinted = ConcurrentHashMap.newKeySet();
    /** When this process started collecting: a poll before it (a killed run's) frames time it was not running. */
    private final long startedAt = System.currentTimeMillis();
    private volatile long seededRun = -1;

    DurationLearner(Ledger ledger, RunState run, PollPlanner polls) {
        this.ledger = ledger;
        this.run = run;
        this.polls = polls;
    }

    void pollFailed(String key) {
        pollFailed.add(key);
    }

    /**
     * @param hinted the service said when to ask next (its hint is kept: the row's poll is not brought forward)
     * @param ended  the job ended: a failed poll since it was last seen running still taints what it teaches
     */
    void pollAnswered(String key, boolean hinted, boolean ended) {
        if (!ended) {
            pollFailed.remove(key); // seen running now: the next bracket starts here
        }
        if (hinted) {
            this.hinted.add(key);
        } else {
            this.hinted.remove(key);
        }
    }

    /**
     * What this job told about its length: the service's timestamps if it gave them, and the bracket from the
     * last poll that saw it running (after its create was answered) to now (after its create was sent). The bracket
     * is not clean when it holds a retry pause or time before this process started.
     */
    void learn(LedgerEntry entry, VideoJob job) {
        long now = System.currentTimeMillis();
        long answered = entry.submittedAt();
        long sent = entry.submittingAt() != null ? Math.min(entry.submittingAt(), answered) : answered;
        Long lastRunning = entry.lastRunningAt();
        long lo = lastRunning != null && lastRunning > answered ? lastRunning - answered : 0;
        Long service = job.createdAt() != null && job.finishedAt() != null && job.finishedAt() >= job.createdAt()
                ? (job.finishedAt() - job.createdAt()) * 1000 : null;
        hinted.remove(RowKey.of(entry));
        boolean clean = !pollFailed.remove(RowKey.of(entry))
                && (lastRunning != null ? lastRunning >= startedAt : answered >= startedAt);
        PollPlanner.Observation seen = new PollPlanner.Observation(lo, now - sent, service, clean);
        PollPlanner.Shape shape = PollPlanner.Shape.of(entry);
        polls.observe(shape, seen);
        Duration firstPoll = polls.firstPollDelay(shape);
        if (firstPoll != null && pullsForward(entry.runId() + "/" + shape.key(), firstPoll.toMillis())) {
            // the jobs of this shape planned later than that (sent before anything was learned, at the interval,
            // or while the estimate was longer) are polled when jobs like them are done
            ledger.serviceTimes().pollSooner(run.runId(), entry.width(), entry.height(), entry.nSeconds(),
                    entry.nVariants(), firstPoll.toMillis(), now, held(run.runId()));
        }
        Long point = PollPlanner.pointOf(seen);
        if (point != null) {
            ledger.serviceTimes().record(run.runId(), entry.rowNum(), point);
        }
    }

    /**
     * Whether the estimate for this run and shape is new or fell by more than {@link #PULL_STEP} since the jobs were
     * last brought forward to it: only then can any be planned later than it (an update per learned job would cost
     * a scan of the jobs in flight each time).
     */
    private boolean pullsForward(String runShape, long delayMillis) {
        Long before = pulledTo.get(runShape);
        if (before != null && delayMillis >= before * (1 - PULL_STEP)) {
            return false;
        }
        pulledTo.put(runShape, delayMillis);
        return true;
    }

    /** This run's rows whose next poll a retry pause or the service's hint set. */
    private java.util.List<Integer> held(long runId) {
        return java.util.stream.Stream.concat(pollFailed.stream(), hinted.stream())
                .map(k -> RowKey.rowOf(k, runId)).filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** After a restart, the planner starts from what the run had learned before, not from nothing. */
    void seed(long runId) {
        if (seededRun == runId) {
            return;
        }
        seededRun = runId;
        for (LedgerEntry done : ledger.serviceTimes().latest(runId, 25)) {
            polls.observe(PollPlanner.Shape.of(done), Duration.ofMillis(done.serviceMillis()));
        }
    }
}
