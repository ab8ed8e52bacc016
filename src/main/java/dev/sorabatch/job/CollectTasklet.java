package dev.sorabatch.job;

import dev.sorabatch.ledger.Failure;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.sorabatch.files.CrashPoints;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;

/**
 * Runs beside the submit step: each pass polls the submitted jobs that are due (one thread for all of them, no
 * thread sleeping per job), downloads the finished ones, records every outcome in the ledger and frees the job's
 * in-flight slot. Ends when submitting is done and no job is left running. Each pass is one tasklet iteration,
 * so a stop request takes effect between passes: {@code JobOperator.stop} calls {@link #stop(StepExecution)} in
 * this process (SIGTERM, a failing sibling step); a stop asked by another process sharing the repository
 * ({@code cancel}) is seen by the step itself when it records the pass.
 */
public class CollectTasklet implements StoppableTasklet, StepExecutionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CollectTasklet.class);
    private static final int BATCH = 100;
    private static final Duration ITERATION = Duration.ofSeconds(1);
    /** How long a stopping or failing step lets the downloads under way finish and record. */
    private static final Duration DOWNLOAD_GRACE = Duration.ofSeconds(20);

    private final Ledger ledger;
    private final CrashPoints crashPoints;
    private final Endpoints endpoints;
    private final RunState run;
    private final PollPlanner polls;
    private final Duration pollInterval;
    private final Duration tick;
    private final Duration jobTimeout;

    /**
     * How often to poll, how long a job may run, how long the service keeps one, how often to retry a download, and
     * how many downloads may run at once.
     */
    public record Timing(Duration pollInterval, Duration tick, Duration jobTimeout, Duration jobRetention,
            int maxDownloadRounds, int downloadThreads) {
    }

    /** Finished videos download on their own threads, so that polling never waits behind a large file. */
    private final JobEnds ends;
    private final ExpiredJobs expiredJobs;
    private final ParkedCreates parked;
    private final DurationLearner durations;

    public CollectTasklet(Ledger ledger, Endpoints endpoints, RunState run, VideoSubmitter submitter,
            PollPlanner polls, Timing timing, CrashPoints crashPoints) {
        this.crashPoints = crashPoints;
        this.polls = polls;
        this.durations = new DurationLearner(ledger, run, polls);
        this.ledger = ledger;
        this.endpoints = endpoints;
        this.run = run;
        this.pollInterval = timing.pollInterval();
        this.tick = timing.tick();
        this.jobTimeout = timing.jobTimeout();
        this.parked = new ParkedCreates(ledger, endpoints, run, submitter, polls);
        this.ends = new JobEnds(ledger, endpoints, run, pollInterval, timing.maxDownloadRounds(),
                timing.downloadThreads());
        this.expiredJobs = new ExpiredJobs(ledger, run, submitter, timing.jobRetention(), pollInterval, ends::failed);
    }

    public void onDelivered(java.util.function.BiConsumer<LedgerEntry, JobFiles.Saved> listener) {
        ends.onDelivered(listener);
    }

    /** The download threads end with the application context. */
    @Override
    public void close() {
        ends.close();
    }

    /** Spring Batch's stop: no new polls or downloads; the downloads under way finish and are recorded. */
    @Override
    public void stop(StepExecution stepExecution) {
        run.requestStop();
    }

    /**
     * However the step ended (a stop seen between passes, from this process or another, or a failure), the
     * downloads under way finish and record before the run goes on to its report.
     */
    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        try {
            ends.awaitIdle(DOWNLOAD_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return stepExecution.getExitStatus();
    }

    @Override
    @Deprecated(since = "6.0", forRemoval = true)
    @SuppressWarnings("removal")
    public void stop() {
        run.requestStop();
    }

    /**
     * One iteration works for up to a second (polling whatever falls due) before it returns, so that the step's
     * own bookkeeping is written about once a second rather than once per poll.
     */
    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws InterruptedException {
        long until = System.nanoTime() + ITERATION.toNanos();
        do {
            if (run.isAborted()) {
                ends.awaitIdle(DOWNLOAD_GRACE);
                throw new SystemicFailureException(run.abortDiagnosis(), null);
            }
            if (run.isStopRequested()) {
                // A stop request: no new polls or downloads; the step stops at this iteration's boundary.
                ends.awaitIdle(DOWNLOAD_GRACE);
                Thread.sleep(tick.toMillis());
                return RepeatStatus.CONTINUABLE;
            }
            long runId = run.runId();
            durations.seed(runId);
            // Taken before reading the ledger: a row downloading then is skipped even if its download ends before
            // its turn, because the line read for it is already out of date (collecting it again would download
            // and count it twice). Only this thread starts downloads, so any other row's line is current.
            Set<String> busy = ends.busy();
            List<LedgerEntry> due = ledger.due(runId, Instant.now(), BATCH + busy.size());
            int worked = 0;
            for (LedgerEntry entry : due) {
                if (run.isStopRequested()) {
                    break;
                }
                if (busy.contains(RowKey.of(entry))) {
                    continue;
                }
                if (entry.parked()) {
                    parked.check(entry);
                } else {
                    collect(entry);
                }
                worked++;
                contribution.incrementReadCount();
                if (run.isAborted()) {
                    ends.awaitIdle(DOWNLOAD_GRACE);
                    throw new SystemicFailureException(run.abortDiagnosis(), null);
                }
            }
            if (worked == 0) {
                if (run.isSubmissionFinished() && ends.idle() && ledger.countInFlight(runId) == 0) {
                    return RepeatStatus.FINISHED;
                }
                Duration pause = ledger.nextPoll(runId).map(next -> Duration.between(Instant.now(), next))
                        .filter(d -> d.compareTo(tick) < 0).orElse(tick);
                if (!pause.isNegative() && !pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            }
        } while (System.nanoTime() < until);
        return RepeatStatus.CONTINUABLE;
    }

    private void collect(LedgerEntry entry) {
        ServiceConnection sora = endpoints.endpoint(entry.endpoint()).connection();
        VideoJob job;
        String key = RowKey.of(entry);
        try {
            // One attempt: a transient fault reschedules this row's poll after a pause, instead of holding every
            // other row's poll behind it.
            job = sora.client().get(entry.jobId(), entry.jobHandle());
            durations.pollAnswered(key, job.pollAfter() != null, job.isTerminal());
        } catch (ServiceException e) {
            if (e.kind() == ErrorKind.SYSTEMIC) {
                run.abort(Diagnoses.of(e, sora.client()));
                return;
            }
            if (e.httpStatus() == 404 && expiredJobs.expired(entry)) {
                expiredJobs.resubmit(entry, sora);
                return;
            }
            if (e.kind() == ErrorKind.ROW) {
                ends.failed(entry, Failure.of(e, Diagnoses.of(e, sora.client())));
                return;
            }
            // Transient: the job is fine at the service as far as we know; ask again after a retry pause.
            if (!timedOut(entry, sora, entry.jobStatus())) {
                durations.pollFailed(key);
                Duration pause = sora.retrier().policy().pauseAfter(e);
                log.info(Messages.get("log.poll-retry", entry.rowNum(), entry.jobId(), e.getMessage(), pause.toMillis()));
                ledger.schedulePoll(run.runId(), entry.rowNum(), null, Instant.now().plus(pause), false);
            }
            return;
        }
        crashPoints.reach("mid-poll");
        run.jobProgress(entry.rowNum(), job.isTerminal() ? null : job.progress());
        run.jobQueued(entry.rowNum(), job.isTerminal() ? null : job.queuePosition());
        if (job.succeeded()) {
            if (entry.downloadRounds() == 0 && entry.submittedAt() != null) {
                durations.learn(entry, job);
            }
            ends.succeeded(entry, job, sora);
        } else if (job.isTerminal()) {
            ends.failed(entry, new Failure(null, job.failureReason() == null ? job.status() : job.failureReason(),
                    job.failureReason() == null ? Messages.get("job.ended", job.status())
                            : Messages.get("job.ended-reason", job.status(), job.failureReason()),
                    Diagnoses.ofFailedJob(job, sora.client()), null));
        } else if (!timedOut(entry, sora, job.status())) {
            Instant submitted = Instant.ofEpochMilli(entry.submittedAt() != null ? entry.submittedAt() : entry.submittingAt());
            Instant seen = Instant.now();
            ledger.scheduleRunningPoll(run.runId(), entry.rowNum(), job.status(),
                    polls.nextPoll(PollPlanner.Shape.of(entry), submitted, seen, entry.polls(), job.pollAfter(), key),
                    seen);
        }
    }

    /** Cancels a job that has been queued or running too long; true when the row was finished that way. */
    private boolean timedOut(LedgerEntry entry, ServiceConnection sora, String lastStatus) {
        Failure overdue = JobTimeouts.cancelIfOverdue(entry, sora, lastStatus, jobTimeout);
        if (overdue != null) {
            ends.failed(entry, overdue);
        }
        return overdue != null;
    }
}
