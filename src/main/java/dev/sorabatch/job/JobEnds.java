package dev.sorabatch.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.http.NetworkFaults;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.Failure;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;

/**
 * What becomes of a job once it ended at the service: a finished one's files are downloaded on the download pool
 * (bounded by its own threads, not by the service's cap) and the row is recorded SUCCEEDED, or the row is recorded
 * FAILED. Either way its in-flight slot is freed once, as soon as the job ended: the service counts only running
 * jobs against its cap.
 */
final class JobEnds implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobEnds.class);

    private final Ledger ledger;
    private final Endpoints endpoints;
    private final RunState run;
    private final Duration downloadAgainAfter;
    private final int maxDownloadRounds;
    private final DownloadPool downloads;
    /** Rows whose job ended at the service and whose slot was freed then, before their files are in (run:row). */
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    /** Told of each row's saved files just before it is recorded SUCCEEDED (their hashes, for reuse by content). */
    private volatile BiConsumer<LedgerEntry, JobFiles.Saved> delivered = (entry, saved) -> { };

    JobEnds(Ledger ledger, Endpoints endpoints, RunState run, Duration downloadAgainAfter, int maxDownloadRounds,
            int downloadThreads) {
        this.ledger = ledger;
        this.endpoints = endpoints;
        this.run = run;
        this.downloadAgainAfter = downloadAgainAfter;
        this.maxDownloadRounds = maxDownloadRounds;
        this.downloads = new DownloadPool(downloadThreads);
    }

    void onDelivered(BiConsumer<LedgerEntry, JobFiles.Saved> listener) {
        this.delivered = listener;
    }

    /** The rows downloading now (a copy, to take before the ledger is read). */
    Set<String> busy() {
        return downloads.busy();
    }

    boolean idle() {
        return downloads.idle();
    }

    /** Waits, at most {@code max}, for the downloads under way to finish and record. */
    void awaitIdle(Duration max) throws InterruptedException {
        downloads.awaitIdle(max);
    }

    /** The job is no longer running at the service (whatever its outcome): its slot is free now. */
    void ended(LedgerEntry entry) {
        if (released.add(RowKey.of(entry))) {
            endpoints.release(entry.endpoint());
        }
    }

    /** The job finished: its files are fetched on a download thread, and the row recorded when they are in. */
    void succeeded(LedgerEntry entry, VideoJob job, ServiceConnection sora) {
        ended(entry);
        // not lost on a pool thread: a crash stops the run with the cause, and a restart downloads again
        downloads.start(RowKey.of(entry), () -> download(entry, job, sora),
                e -> run.abort(Messages.get("run.collect-stopped.download", entry.rowNum(), e)));
    }

    /** The row is done without a video: recorded FAILED, its slot freed unless its job's end freed it already. */
    void failed(LedgerEntry entry, Failure failure) {
        run.jobProgress(entry.rowNum(), null);
        run.jobQueued(entry.rowNum(), null);
        ledger.recordFailed(run.runId(), entry.rowNum(), entry.attempts(), 1, failure);
        releaseIfHeld(entry);
        log.warn(Messages.get("log.row-failed-job", entry.rowNum(), entry.jobId(), failure.diagnosis()));
    }

    private void download(LedgerEntry entry, VideoJob job, ServiceConnection sora) {
        if (job.generationIds().isEmpty()) {
            failed(entry, Failure.described("no_generations", Messages.get("job.no-generations"),
                    Messages.get("diag.no-generations", job.id())));
            return;
        }
        AtomicInteger requests = new AtomicInteger();
        JobFiles.Saved saved;
        try {
            saved = JobFiles.save(entry, job, sora, run.outputDir(), requests);
        } catch (ServiceException e) {
            ledger.countDownloads(run.runId(), entry.rowNum(), requests.get());
            if (e.kind() == ErrorKind.SYSTEMIC) {
                run.abort(Diagnoses.of(e, sora.client()));
                return;
            }
            // A download that redirects in a loop loops again next round: the row fails at once.
            boolean loops = NetworkFaults.REDIRECT_LOOP.equals(e.errorCode());
            if (loops || entry.downloadRounds() + 1 >= maxDownloadRounds) {
                failed(entry, Failure.of(e, Diagnoses.ofDownloadFailure(job.id(), e)));
            } else {
                log.warn(Messages.get("log.download-again", entry.rowNum(), job.id(), e.getMessage()));
                ledger.schedulePoll(run.runId(), entry.rowNum(), job.status(), Instant.now().plus(downloadAgainAfter),
                        true);
            }
            return;
        }
        delivered.accept(entry, saved);
        ledger.recordSucceeded(run.runId(), entry.rowNum(), job.status(), String.join(";", job.generationIds()),
                String.join(";", saved.videos()), String.join(";", saved.thumbnails()), requests.get());
        releaseIfHeld(entry);
        log.info(Messages.get("log.row-succeeded", entry.rowNum(), job.id(), String.join(", ", saved.videos())));
    }

    private void releaseIfHeld(LedgerEntry entry) {
        if (!released.remove(RowKey.of(entry))) {
            endpoints.release(entry.endpoint());
        }
    }

    /** The download threads end with the application context (the step has waited for them already). */
    @Override
    public void close() {
        downloads.close();
    }
}
