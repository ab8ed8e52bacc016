package dev.sorabatch.job;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.Failure;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.service.ServiceException;

/** The time-out killer: a job queued or running longer than {@code sora.job-timeout} is cancelled at the service. */
final class JobTimeouts {

    private static final Logger log = LoggerFactory.getLogger(JobTimeouts.class);

    private JobTimeouts() {
    }

    /**
     * Cancels the row's job when it has waited longer than {@code timeout} since it was sent.
     *
     * @return the row's failure then, or null while it still has time
     */
    static Failure cancelIfOverdue(LedgerEntry entry, ServiceConnection sora, String lastStatus, Duration timeout) {
        Instant since = Instant.ofEpochMilli(entry.submittedAt() != null ? entry.submittedAt() : entry.submittingAt());
        Duration waited = Duration.between(since, Instant.now());
        if (waited.compareTo(timeout) <= 0) {
            return null;
        }
        if (!sora.client().cancels()) {
            // nothing can end it: say that it may still finish, and be billed, rather than that it was deleted
            return Failure.described("timeout", Messages.get("job.still-after", lastStatus, Diagnoses.human(waited)),
                    Messages.get("diag.timeout-uncancellable", Diagnoses.human(timeout), entry.jobId(), lastStatus));
        }
        try {
            sora.client().cancel(entry.jobId(), entry.jobHandle());
        } catch (ServiceException e) {
            // the row ends either way; a job that could not be cancelled is named in the log
            log.warn(Messages.get("log.delete-failed", entry.rowNum(), entry.jobId(), e.getMessage()));
        }
        return Failure.described("timeout", Messages.get("job.still-after", lastStatus, Diagnoses.human(waited)),
                Diagnoses.ofTimeout(entry.jobId(), timeout, lastStatus));
    }
}
