package dev.sorabatch.job;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.sora.SoraClient;
import dev.sorabatch.sora.CreateVideoRequest;
import dev.sorabatch.sora.SoraApiException;
import dev.sorabatch.sora.VideoJob;

/**
 * Finds a job that a create produced although its answer never arrived (the process died, or the connection
 * dropped after the request was sent): the service lists recent jobs, and a job with the row's prompt and
 * parameters, created after the create was sent and owned by no other row, is that row's job. Adopting it,
 * instead of creating again, is what keeps a lost answer from costing a second video.
 */
public class OrphanFinder {

    private static final Logger log = LoggerFactory.getLogger(OrphanFinder.class);
    private static final int LIST_LIMIT = 50;
    /** Clock skew allowed between this machine and the service when comparing creation times. */
    private static final long SKEW_SECONDS = 120;

    private final Ledger ledger;

    public OrphanFinder(Ledger ledger) {
        this.ledger = ledger;
    }

    public Optional<VideoJob> find(SoraClient client, CreateVideoRequest request, long sentAtMillis) {
        try {
            long notBefore = sentAtMillis / 1000 - SKEW_SECONDS;
            return client.list(LIST_LIMIT).stream()
                    .filter(request::sameVideoAs)
                    .filter(job -> job.createdAt() == null || job.createdAt() >= notBefore)
                    .filter(job -> !ledger.jobIdKnown(job.id()))
                    .reduce((newer, older) -> older); // the service lists newest first: take the earliest match
        } catch (SoraApiException e) {
            log.warn("Could not list recent jobs to look for an orphan: {}", e.getMessage());
            throw e;
        }
    }
}
