package dev.sorabatch.job;

import dev.sorabatch.ledger.Failure;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;

/**
 * A job the service no longer knows because it expired (jobs are deleted a fixed time after creation, 24 h) before
 * its video was collected — a run resumed the next day — is paid for again, once: the row is submitted anew and
 * the report says why.
 */
final class ExpiredJobs {

    private static final Logger log = LoggerFactory.getLogger(ExpiredJobs.class);

    private final Ledger ledger;
    private final RunState run;
    private final VideoSubmitter submitter;
    private final Duration retention;
    private final Duration pollInterval;
    private final BiConsumer<LedgerEntry, Failure> finish;

    ExpiredJobs(Ledger ledger, RunState run, VideoSubmitter submitter, Duration retention, Duration pollInterval,
            BiConsumer<LedgerEntry, Failure> finish) {
        this.ledger = ledger;
        this.run = run;
        this.submitter = submitter;
        this.retention = retention;
        this.pollInterval = pollInterval;
        this.finish = finish;
    }

    /** One older than the service keeps jobs was not lost, it expired. */
    boolean expired(LedgerEntry entry) {
        long created = entry.jobCreatedAt() != null ? entry.jobCreatedAt() * 1000
                : entry.submittedAt() != null ? entry.submittedAt() : entry.submittingAt();
        return System.currentTimeMillis() >= created + retention.toMillis();
    }

    void resubmit(LedgerEntry entry, ServiceConnection sora) {
        VideoRequest request = entry.request();
        String expiredJob = entry.jobId();
        try {
            VideoJob job = null;
            boolean earlierAttempt = entry.submittingAt() != null && entry.submittedAt() != null
                    && entry.submittingAt() > entry.submittedAt();
            if (earlierAttempt) {
                // A previous resubmission died before recording its answer: its job may exist.
                job = submitter.findOrphan(sora, request, entry.submittingAt()).orElse(null);
            }
            AtomicInteger attempts = new AtomicInteger(entry.attempts());
            if (job == null) {
                ledger.markResubmitting(run.runId(), entry.rowNum());
                job = submitter.submit(sora, request, System.currentTimeMillis(), attempts).job();
            }
            ledger.recordResubmitted(run.runId(), entry.rowNum(), job.id(), job.handle(), job.status(), job.createdAt(),
                    attempts.get(), Instant.now().plus(pollInterval), Messages.get("report.resubmitted", expiredJob,
                            Diagnoses.human(retention), job.id()));
            log.info(Messages.get("log.resubmitted", entry.rowNum(), expiredJob, job.id()));
        } catch (OrphanFinder.AmbiguousOrphanException e) {
            finish.accept(entry, e.failure());
        } catch (ServiceException e) {
            if (e.kind() == ErrorKind.SYSTEMIC) {
                run.abort(Diagnoses.of(e, sora.client()));
                return;
            }
            finish.accept(entry, Failure.of(e, Messages.get("diag.resubmit-failed", expiredJob,
                    Diagnoses.of(e, sora.client()))));
        }
    }
}
