package dev.sorabatch.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.files.CrashPoints;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.sora.Diagnoses;
import dev.sorabatch.sora.ErrorKind;
import dev.sorabatch.sora.Operation;
import dev.sorabatch.sora.SoraApiException;
import dev.sorabatch.sora.SoraConnection;
import dev.sorabatch.sora.VideoJob;

/**
 * Submits validated rows: waits for a free in-flight slot, creates the video job, and records its id in the
 * ledger at once. A row the ledger already knows is never created again; a row whose create was sent but not
 * answered (a crash, a dropped connection) is first looked for among the service's recent jobs.
 */
public class SubmitWriter implements ItemWriter<VideoRequest> {

    private static final Logger log = LoggerFactory.getLogger(SubmitWriter.class);
    private static final Duration SLOT_CHECK = Duration.ofMillis(500);

    private final Ledger ledger;
    private final InFlightWindow window;
    private final RunState run;
    private final ActiveConnection connection;
    private final VideoSubmitter submitter;
    private final PollPlanner polls;
    private final RunBudget budget;
    private final int systemicThreshold;
    private String lastFailureSignature;
    private int sameFailureStreak;

    public SubmitWriter(Ledger ledger, InFlightWindow window, RunState run, ActiveConnection connection,
            VideoSubmitter submitter, PollPlanner polls, RunBudget budget, int systemicThreshold) {
        this.budget = budget;
        this.ledger = ledger;
        this.window = window;
        this.run = run;
        this.connection = connection;
        this.submitter = submitter;
        this.polls = polls;
        this.systemicThreshold = systemicThreshold;
    }

    @Override
    public void write(Chunk<? extends VideoRequest> chunk) throws Exception {
        for (VideoRequest request : chunk) {
            submit(request);
        }
    }

    private void submit(VideoRequest request) throws Exception {
        if (run.isStopRequested()) {
            // Rolls the chunk back: the row stays unread and is submitted by the resumed run.
            throw new JobInterruptedException("stop requested before row " + request.rowNumber() + " was submitted");
        }
        long runId = run.runId();
        Optional<LedgerEntry> known = ledger.find(runId, request.rowNumber());
        if (known.isPresent() && known.get().status() != RowStatus.SUBMITTING) {
            log.debug("row {}: already {} in this run, not submitted again", request.rowNumber(), known.get().status());
            return;
        }
        if (known.isEmpty()) {
            String refusal = budget.refusal(request);
            if (refusal != null) {
                ledger.recordSkipped(runId, request.rowNumber(), request.rowId(), request.prompt(), request.imageUrl(),
                        Failure.described("budget_reached", refusal, Messages.get("row.budget", refusal)));
                log.warn("row {}{}: SKIPPED: {}", request.rowNumber(), label(request), refusal);
                return;
            }
        }
        SoraConnection sora = connection.get();
        if (known.isPresent()) {
            // The previous attempt died between sending the create and recording its answer.
            Optional<VideoJob> orphan = submitter.findOrphan(sora, request, known.get().submittingAt());
            if (orphan.isPresent()) {
                window.occupy();
                adopt(runId, request, orphan.get(), known.get().attempts());
                return;
            }
        }
        awaitSlot();
        String stem = known.map(LedgerEntry::fileStem)
                .orElseGet(() -> FileStems.assign(request, s -> ledger.stemTaken(runId, s)));
        ledger.recordSubmitting(runId, request, stem);
        if (known.isEmpty()) {
            budget.spend(request);
        }
        CrashPoints.reach("before-create");
        AtomicInteger attempts = new AtomicInteger(known.map(LedgerEntry::attempts).orElse(0));
        try {
            VideoSubmitter.Submission submission = submitter.submit(sora, request, System.currentTimeMillis(), attempts);
            VideoJob job = submission.job();
            CrashPoints.reach("after-create");
            ledger.recordSubmitted(runId, request.rowNumber(), job.id(), job.status(), job.createdAt(), attempts.get(),
                    submission.adopted(), polls.firstPoll(shape(request), Instant.now()), job.requestId());
            CrashPoints.reach("after-submit");
            log.info("row {}{}: submitted as job {} ({} x {}, {} s, {} variant(s); attempt {})", request.rowNumber(),
                    label(request), job.id(), request.width(), request.height(), request.nSeconds(),
                    request.nVariants(), attempts.get());
            lastFailureSignature = null;
            sameFailureStreak = 0;
        } catch (SoraApiException e) {
            window.release();
            onCreateFailure(runId, request, e, attempts.get());
        }
    }

    private void onCreateFailure(long runId, VideoRequest request, SoraApiException e, int attempts) {
        String diagnosis = Diagnoses.of(e, connection.get().client());
        if (e.kind() == ErrorKind.SYSTEMIC || (e.httpStatus() == 0 && !Operation.FETCH_IMAGE.label().equals(e.operation()))) {
            // Nothing was created (or an orphan check will settle it on restart): leave the row to the next attempt.
            run.abort(diagnosis);
            throw new SystemicFailureException(diagnosis, e);
        }
        ledger.recordFailed(runId, request.rowNumber(), attempts, 0, Failure.of(e, diagnosis));
        log.warn("row {}{}: FAILED: {}", request.rowNumber(), label(request), Diagnoses.received(e));
        String signature = e.operation() + "|" + e.httpStatus() + "|" + e.errorCode();
        if (e.httpStatus() > 0 && e.httpStatus() != 429 && Operation.CREATE.label().equals(e.operation())
                && Objects.equals(signature, lastFailureSignature)) {
            sameFailureStreak++;
        } else {
            sameFailureStreak = 1;
        }
        lastFailureSignature = signature;
        if (systemicThreshold > 0 && sameFailureStreak >= systemicThreshold) {
            String stop = Messages.get("run.systemic", sameFailureStreak, Diagnoses.received(e), diagnosis);
            run.abort(stop);
            throw new SystemicFailureException(stop, e);
        }
    }

    private void adopt(long runId, VideoRequest request, VideoJob job, int attempts) {
        ledger.recordSubmitted(runId, request.rowNumber(), job.id(), job.status(), job.createdAt(),
                Math.max(attempts, 1), true, Instant.now(), null);
        log.info("row {}{}: adopted job {} created by an interrupted earlier attempt (not submitted again)",
                request.rowNumber(), label(request), job.id());
    }

    private void awaitSlot() throws Exception {
        while (!window.tryAcquire(SLOT_CHECK)) {
            if (run.isAborted()) {
                throw new SystemicFailureException(run.abortDiagnosis(), null);
            }
            if (run.isStopRequested()) {
                throw new JobInterruptedException("stop requested while waiting for a free slot");
            }
        }
    }

    private static PollPlanner.Shape shape(VideoRequest request) {
        return new PollPlanner.Shape(request.width(), request.height(), request.nSeconds(), request.nVariants());
    }

    private static String label(VideoRequest request) {
        return VideoSubmitter.label(request);
    }
}
