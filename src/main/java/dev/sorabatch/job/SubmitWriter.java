package dev.sorabatch.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.files.CrashPoints;
import dev.sorabatch.sora.CreateVideoRequest;
import dev.sorabatch.sora.Diagnoses;
import dev.sorabatch.sora.ErrorKind;
import dev.sorabatch.sora.NetworkFaults;
import dev.sorabatch.sora.ReferenceImage;
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
    private final OrphanFinder orphans;
    private final Duration firstPoll;
    private final int systemicThreshold;
    private final Duration serviceFullPatience;
    private String lastFailureSignature;
    private int sameFailureStreak;

    public SubmitWriter(Ledger ledger, InFlightWindow window, RunState run, ActiveConnection connection,
            OrphanFinder orphans, Duration firstPoll, int systemicThreshold, Duration serviceFullPatience) {
        this.ledger = ledger;
        this.window = window;
        this.run = run;
        this.connection = connection;
        this.orphans = orphans;
        this.firstPoll = firstPoll;
        this.systemicThreshold = systemicThreshold;
        this.serviceFullPatience = serviceFullPatience;
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
        SoraConnection sora = connection.get();
        CreateVideoRequest create = null;
        if (known.isPresent()) {
            // The previous attempt died between sending the create and recording its answer.
            create = toCreate(request, null);
            Optional<VideoJob> orphan = orphans.find(sora.client(), create, known.get().submittingAt());
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
        CrashPoints.reach("before-create");
        long sentAt = System.currentTimeMillis();
        AtomicInteger attempts = new AtomicInteger(known.map(LedgerEntry::attempts).orElse(0));
        try {
            ReferenceImage image = request.imageUrl() == null ? null
                    : sora.retrier().call(() -> sora.images().fetch(request.imageUrl()),
                            (n, fault, pause) -> logRetry(request, fault, pause));
            CreateVideoRequest toSend = toCreate(request, image);
            AtomicBoolean mayExist = new AtomicBoolean(false);
            AtomicBoolean adopted = new AtomicBoolean(false);
            VideoJob job = sora.retrier().call(() -> {
                if (mayExist.get()) {
                    Optional<VideoJob> orphan = orphans.find(sora.client(), toSend, sentAt);
                    if (orphan.isPresent()) {
                        adopted.set(true);
                        return orphan.get();
                    }
                }
                attempts.incrementAndGet();
                try {
                    return createWhenTheServiceHasRoom(sora, toSend, request);
                } catch (SoraApiException e) {
                    // A dropped answer may hide a created job: look for it before sending the create again.
                    mayExist.set(NetworkFaults.mayHaveBeenReceived(e));
                    throw e;
                }
            }, (n, fault, pause) -> logRetry(request, fault, pause));
            CrashPoints.reach("after-create");
            ledger.recordSubmitted(runId, request.rowNumber(), job.id(), job.status(), job.createdAt(), attempts.get(),
                    adopted.get(), Instant.now().plus(firstPoll), job.requestId());
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

    /**
     * "Too many running tasks" means the resource is running its maximum of jobs (another client, or jobs left by
     * an interrupted run): back-pressure, not an error. Wait for room, up to the job time-out.
     */
    private VideoJob createWhenTheServiceHasRoom(SoraConnection sora, CreateVideoRequest toSend, VideoRequest request) {
        long deadline = System.nanoTime() + serviceFullPatience.toNanos();
        while (true) {
            try {
                return sora.client().create(toSend);
            } catch (SoraApiException e) {
                if (!serviceIsFull(e) || System.nanoTime() > deadline || run.isAborted()) {
                    throw e;
                }
                Duration pause = e.retryAfter() != null ? e.retryAfter() : firstPoll;
                log.info("row {}{}: the service is running as many jobs as it allows; waiting {} ms for one to "
                        + "finish", request.rowNumber(), label(request), pause.toMillis());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static boolean serviceIsFull(SoraApiException e) {
        return e.httpStatus() == 429 && e.errorMessage() != null
                && e.errorMessage().toLowerCase(java.util.Locale.ROOT).contains("too many running tasks");
    }

    private void onCreateFailure(long runId, VideoRequest request, SoraApiException e, int attempts) {
        String deployment = connection.get().client().deployment();
        String diagnosis = Diagnoses.of(e, deployment);
        if (e.kind() == ErrorKind.SYSTEMIC || (e.httpStatus() == 0 && !"fetch image_url".equals(e.operation()))) {
            // Nothing was created (or an orphan check will settle it on restart): leave the row to the next attempt.
            run.abort(diagnosis);
            throw new SystemicFailureException(diagnosis, e);
        }
        ledger.recordFailed(runId, request.rowNumber(), attempts, 0, Failure.of(e, diagnosis));
        log.warn("row {}{}: FAILED: {}", request.rowNumber(), label(request), Diagnoses.received(e));
        String signature = e.operation() + "|" + e.httpStatus() + "|" + e.errorCode();
        if (e.httpStatus() > 0 && e.httpStatus() != 429 && "create video job".equals(e.operation())
                && Objects.equals(signature, lastFailureSignature)) {
            sameFailureStreak++;
        } else {
            sameFailureStreak = 1;
        }
        lastFailureSignature = signature;
        if (systemicThreshold > 0 && sameFailureStreak >= systemicThreshold) {
            String stop = sameFailureStreak + " rows in a row were refused the same way (" + Diagnoses.received(e)
                    + "), so the run stops instead of failing every row. " + diagnosis;
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

    private static CreateVideoRequest toCreate(VideoRequest r, ReferenceImage image) {
        return new CreateVideoRequest(r.prompt(), r.width(), r.height(), r.nSeconds(), r.nVariants(), image);
    }

    private static void logRetry(VideoRequest request, SoraApiException fault, Duration pause) {
        log.info("row {}{}: {} — retrying in {} ms", request.rowNumber(), label(request), fault.getMessage(),
                pause.toMillis());
    }

    static String label(VideoRequest request) {
        return request.rowId() == null ? "" : " (" + request.rowId() + ")";
    }
}
