package dev.sorabatch.job;

import dev.sorabatch.ledger.Failure;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.ledger.RowStatus;
import java.time.Duration;
import java.time.Instant;
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
import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.http.ImageFetcher;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;

/**
 * Submits validated rows: waits for a free in-flight slot, creates the video job, and records its id in the
 * ledger at once. A row the ledger already knows is never created again; a row whose create was sent but not
 * answered (a crash, a dropped connection) is first looked for among the service's recent jobs.
 */
public class SubmitWriter implements ItemWriter<VideoRequest> {

    private static final Logger log = LoggerFactory.getLogger(SubmitWriter.class);
    private static final Duration SLOT_CHECK = Duration.ofMillis(500);

    private final Ledger ledger;
    private final FileNameRegistry fileNames;
    private final Endpoints endpoints;
    private final RunState run;
    private final VideoSubmitter submitter;
    private final PollPlanner polls;
    private final RunBudget budget;
    /** Told how long each row waited for a free in-flight slot (the metrics). */
    private volatile java.util.function.Consumer<Duration> slotWaited = waited -> { };
    private final FailureStreak streak;
    private final CrashPoints crashPoints;

    public SubmitWriter(Ledger ledger, FileNameRegistry fileNames, Endpoints endpoints, RunState run,
            VideoSubmitter submitter, PollPlanner polls, RunBudget budget, int systemicThreshold,
            CrashPoints crashPoints) {
        this.crashPoints = crashPoints;
        this.budget = budget;
        this.ledger = ledger;
        this.fileNames = fileNames;
        this.endpoints = endpoints;
        this.run = run;
        this.submitter = submitter;
        this.polls = polls;
        this.streak = new FailureStreak(systemicThreshold);
    }

    public void onSlotWaited(java.util.function.Consumer<Duration> listener) {
        this.slotWaited = listener;
    }

    @Override
    public void write(Chunk<? extends VideoRequest> chunk) throws Exception {
        for (VideoRequest request : chunk) {
            submit(request);
        }
    }

    private void submit(VideoRequest request) throws Exception {
        if (stopAsked()) {
            // Rolls the chunk back: the row stays unread and is submitted by the resumed run.
            throw new JobInterruptedException("stop requested before row " + request.rowNumber() + " was submitted");
        }
        long runId = run.runId();
        Optional<LedgerEntry> known = ledger.find(runId, request.rowNumber());
        if (known.isPresent() && known.get().parked()) {
            log.debug("row {}: parked after an unanswered create; the collector checks for its job", request.rowNumber());
            return;
        }
        if (known.isPresent() && known.get().status() != RowStatus.SUBMITTING) {
            log.debug("row {}: already {} in this run, not submitted again", request.rowNumber(), known.get().status());
            return;
        }
        if (known.isPresent()) {
            // The previous attempt died between sending the create and recording its answer: ask the endpoint it
            // was sent to.
            Endpoints.Endpoint previous = endpoints.endpoint(known.get().endpoint());
            Optional<VideoJob> orphan;
            try {
                orphan = submitter.findOrphan(previous.connection(), request, known.get().submittingAt());
            } catch (OrphanFinder.AmbiguousOrphanException e) {
                failAmbiguous(runId, request, e, known.get().attempts());
                return;
            }
            if (orphan.isPresent()) {
                endpoints.occupy(previous.name());
                adopt(runId, request, orphan.get(), known.get().attempts());
                return;
            }
        }
        String stem = known.map(LedgerEntry::fileStem).orElse(null);
        String fileNote = null;
        AtomicInteger attempts = new AtomicInteger(known.map(LedgerEntry::attempts).orElse(0));
        while (true) {
            Endpoints.Endpoint endpoint = awaitSlot();
            if (stem == null) {
                FileNameRegistry.Assignment names = fileNames.assign(runId, request, run.outputDir(),
                        extensions(endpoint));
                stem = names.stem();
                fileNote = names.note();
            }
            dev.sorabatch.pricing.RowCost cost = budget.cost(request);
            ledger.recordSubmitting(runId, request, stem, fileNote, endpoint.name(), cost);
            crashPoints.reach("before-create");
            try {
                VideoSubmitter.Submission submission = submitter.submit(endpoint.connection(), request,
                        System.currentTimeMillis(), attempts, true);
                VideoJob job = submission.job();
                crashPoints.reach("after-create");
                ledger.recordSubmitted(runId, request.rowNumber(), job.id(), job.handle(), job.status(), job.createdAt(),
                        attempts.get(), submission.adopted(), polls.firstPoll(shape(request), Instant.now(),
                                RowKey.of(runId, request.rowNumber())),
                        job.requestId());
                crashPoints.reach("after-submit");
                log.info(Messages.get("log.row-submitted", request.rowNumber(), label(request), job.id(),
                        request.width(), request.height(), request.nSeconds(), request.nVariants(), attempts.get(),
                        endpoints.all().size() > 1 ? Messages.get("log.row-endpoint", endpoint.name()) : ""));
                streak.broken();
                return;
            } catch (VideoSubmitter.CreateUnanswered e) {
                // The job may exist: the row keeps its slot and the collector looks for it (ParkedCreates); the
                // next rows go on meanwhile.
                ledger.park(runId, request.rowNumber(), attempts.get(),
                        submitter.firstLook(endpoint.connection(), runId, request.rowNumber()));
                log.info(Messages.get("log.row-note", request.rowNumber(), label(request), e.getMessage()));
                return;
            } catch (OrphanFinder.AmbiguousOrphanException e) {
                endpoints.release(endpoint.name());
                failAmbiguous(runId, request, e, attempts.get());
                return;
            } catch (ServiceException e) {
                endpoints.release(endpoint.name());
                if (ImageFetcher.STOPPED.equals(e.errorCode())) {
                    // a stop abandoned the image fetch; nothing was sent, the resumed run submits the row
                    throw new JobInterruptedException("stop requested while row " + request.rowNumber()
                            + "'s image was fetched");
                }
                if (takenOutOfRotation(endpoint, e)) {
                    continue; // a definite refusal: nothing was created there, the row goes to another endpoint
                }
                onCreateFailure(runId, request, e, attempts.get(), endpoint);
                return;
            }
        }
    }

    /**
     * With several endpoints, one that refuses systemically (its key, deployment or address is wrong) leaves the
     * rotation and the others go on. Only a definite refusal counts: after a network failure the job may exist,
     * and sending the row elsewhere could pay twice.
     */
    private boolean takenOutOfRotation(Endpoints.Endpoint endpoint, ServiceException e) {
        if (endpoints.all().size() < 2 || e.kind() != ErrorKind.SYSTEMIC || e.httpStatus() == 0) {
            return false;
        }
        String diagnosis = Diagnoses.of(e, endpoint.connection().client());
        boolean othersRemain = endpoints.takeOutOfRotation(endpoint.name(), diagnosis);
        log.warn(Messages.get("log.endpoint-out", endpoint.name(), diagnosis,
                othersRemain ? "" : Messages.get("log.endpoint-out.none-left")));
        return othersRemain;
    }

    private void onCreateFailure(long runId, VideoRequest request, ServiceException e, int attempts,
            Endpoints.Endpoint endpoint) {
        String diagnosis = Diagnoses.of(e, endpoint.connection().client());
        if (!endpoints.outOfRotation().isEmpty() && !endpoints.anyInRotation()) {
            diagnosis = Messages.get("run.no-endpoint-left", String.join("; ", endpoints.outOfRotation()));
        }
        if (e.kind() == ErrorKind.SYSTEMIC || (e.httpStatus() == 0 && !Operation.FETCH_IMAGE.label().equals(e.operation()))) {
            // Nothing was created (or an orphan check will settle it on restart): leave the row to the next attempt.
            run.abort(diagnosis);
            throw new SystemicFailureException(diagnosis, e);
        }
        ledger.recordFailed(runId, request.rowNumber(), attempts, 0, Failure.of(e, diagnosis));
        log.warn(Messages.get("log.row-failed", request.rowNumber(), label(request), Diagnoses.received(e)));
        String stop = streak.failed(e, diagnosis);
        if (stop != null) {
            run.abort(stop);
            throw new SystemicFailureException(stop, e);
        }
    }

    /** Neither adopted nor sent again: the row fails, naming the jobs that match it. */
    private void failAmbiguous(long runId, VideoRequest request, OrphanFinder.AmbiguousOrphanException e,
            int attempts) {
        ledger.recordFailed(runId, request.rowNumber(), attempts, 0, e.failure());
        log.warn(Messages.get("log.row-failed", request.rowNumber(), label(request), e.getMessage()));
    }

    private void adopt(long runId, VideoRequest request, VideoJob job, int attempts) {
        ledger.recordSubmitted(runId, request.rowNumber(), job.id(), job.handle(), job.status(), job.createdAt(),
                Math.max(attempts, 1), true, Instant.now(), null);
        log.info(Messages.get("log.row-adopted", request.rowNumber(), label(request), job.id()));
    }

    private Endpoints.Endpoint awaitSlot() throws Exception {
        long waitStarted = System.nanoTime();
        while (true) {
            Endpoints.Endpoint endpoint = endpoints.tryAcquire(SLOT_CHECK);
            if (endpoint != null) {
                slotWaited.accept(Duration.ofNanos(System.nanoTime() - waitStarted));
                return endpoint;
            }
            if (run.isAborted()) {
                throw new SystemicFailureException(run.abortDiagnosis(), null);
            }
            if (stopAsked()) {
                throw new JobInterruptedException("stop requested while waiting for a free slot");
            }
        }
    }

    /**
     * A stop of this process (SIGTERM) or of this step through {@code JobOperator.stop}: a sibling that stopped or
     * failed, or a {@code cancel} another process asked for, which the collect step saw first.
     */
    private boolean stopAsked() {
        if (run.isStopRequested()) {
            return true;
        }
        var step = org.springframework.batch.core.scope.context.StepSynchronizationManager.getContext();
        return step != null && step.getStepExecution().isTerminateOnly();
    }

    /** The video's extension, then the thumbnail's, as the endpoint's client saves them. */
    private static java.util.List<String> extensions(Endpoints.Endpoint endpoint) {
        return java.util.List.of(endpoint.connection().client().extension(dev.sorabatch.service.ContentKind.VIDEO),
                endpoint.connection().client().extension(dev.sorabatch.service.ContentKind.THUMBNAIL));
    }

    private static PollPlanner.Shape shape(VideoRequest request) {
        return new PollPlanner.Shape(request.width(), request.height(), request.nSeconds(), request.nVariants());
    }

    private static String label(VideoRequest request) {
        return VideoSubmitter.label(request);
    }
}
