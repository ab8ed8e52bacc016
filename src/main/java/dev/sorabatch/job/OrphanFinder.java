package dev.sorabatch.job;

import dev.sorabatch.ledger.Failure;
import dev.sorabatch.ledger.Ledger;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoService;
import dev.sorabatch.service.VideoJob;

/**
 * Finds a job that a create produced although its answer never arrived (the process died, or the connection
 * dropped after the request was sent): the service lists recent jobs, and a job that matches the row on every field
 * the service echoes (prompt, size, seconds, variants, model), was created inside the unanswered call's window and is
 * held by no ledger row of this repository (any run, any input) is that row's job. Adopting it, instead of creating
 * again, is what keeps a lost answer from costing a second video.
 * <p>
 * Another process with its own repository may have sent the same row to the same resource at the same time; its job
 * is in no ledger this process can see. When more than one job matches, which one is ours cannot be told: none is
 * adopted and the row fails with {@link AmbiguousOrphanException} (adopting the wrong one would leave two rows on
 * one job; creating again could pay twice). Likewise when the service lists jobs of that time without saying what
 * they were asked for ({@link UnverifiableOrphanException}), or cannot list its jobs at all
 * ({@link UnlistedOrphanException}).
 */
public class OrphanFinder {

    private static final Logger log = LoggerFactory.getLogger(OrphanFinder.class);
    private static final int LIST_LIMIT = 50;
    /** Clock skew allowed between this machine and the service when comparing creation times. */
    static final long SKEW_MILLIS = 10_000;

    /** More than one job at the service could be this row's: none was adopted, and the row was not sent again. */
    public static class AmbiguousOrphanException extends RuntimeException {
        private final List<String> jobIds;

        AmbiguousOrphanException(List<String> jobIds) {
            this(Messages.get("row.orphans-match", jobIds.size(), String.join(", ", jobIds)), jobIds);
        }

        AmbiguousOrphanException(String message, List<String> jobIds) {
            super(message);
            this.jobIds = List.copyOf(jobIds);
        }

        public List<String> jobIds() {
            return jobIds;
        }

        /** What the report says: the code {@code ambiguous_orphan}, the matching job ids and what to do. */
        public Failure failure() {
            return Failure.described("ambiguous_orphan", getMessage(),
                    Messages.get("row.ambiguous-orphan", jobIds.size(), String.join(", ", jobIds)));
        }
    }

    /**
     * The service lists jobs of that time whose input it does not show (fal with payload storage off): one may be
     * this row's, already paid for, so the row is neither adopted nor sent again.
     */
    public static class UnverifiableOrphanException extends AmbiguousOrphanException {

        UnverifiableOrphanException(List<String> jobIds) {
            super(Messages.get("row.orphans-unverifiable", jobIds.size(), String.join(", ", jobIds)), jobIds);
        }

        @Override
        public Failure failure() {
            return Failure.described("unverifiable_orphan", getMessage(),
                    Messages.get("row.unverifiable-orphan", jobIds().size(), String.join(", ", jobIds())));
        }
    }

    /**
     * The service cannot list its jobs ({@code ServiceTraits.listsJobs} false: Vertex Veo): the lost create may have
     * made a video, and been billed, and nothing can tell; the row is neither adopted nor sent again.
     */
    public static class UnlistedOrphanException extends AmbiguousOrphanException {

        private final String provider;

        UnlistedOrphanException(String provider) {
            super(Messages.get("row.orphans-unlisted"), List.of());
            this.provider = provider;
        }

        @Override
        public Failure failure() {
            return Failure.described("unanswered_create", getMessage(), Messages.get("row.unlisted-orphan", provider));
        }
    }

    private final Ledger ledger;

    public OrphanFinder(Ledger ledger) {
        this.ledger = ledger;
    }

    /**
     * @param sentAtMillis   when the unanswered create was sent (epoch ms)
     * @param gaveUpAtMillis the latest moment it could have been received and made a job: when this process gave up
     *                       waiting for the answer (and let it settle)
     * @return the row's job, or empty when no job matches (the create never arrived)
     * @throws AmbiguousOrphanException when two or more jobs match
     */
    public Optional<VideoJob> find(VideoService client, CreateVideoRequest request, long sentAtMillis,
            long gaveUpAtMillis) {
        long notBefore = (sentAtMillis - SKEW_MILLIS) / 1000;
        long notAfter = (gaveUpAtMillis + SKEW_MILLIS + 999) / 1000;
        if (!client.traits().listsJobs()) {
            return findOutput(client, request, notBefore); // never list() a service that cannot list
        }
        List<VideoJob> unheld;
        try {
            unheld = client.recentJobsLike(request, notBefore, LIST_LIMIT).stream()
                    .filter(job -> job.createdAt() == null || job.createdAt() >= notBefore && job.createdAt() <= notAfter)
                    .filter(job -> !ledger.jobIdKnown(job.id()))
                    .toList();
        } catch (ServiceException e) {
            log.warn(Messages.get("row.orphan-list-failed", e.getMessage()));
            throw e;
        }
        List<VideoJob> candidates = unheld.stream().filter(job -> client.isJobFor(request, job, client.deployment()))
                .toList();
        if (candidates.size() > 1) {
            throw new AmbiguousOrphanException(candidates.stream().map(VideoJob::id).toList());
        }
        List<String> unverifiable = unheld.stream().filter(job -> !client.echoesInput(job)).map(VideoJob::id)
                .toList();
        if (candidates.isEmpty() && !unverifiable.isEmpty()) {
            throw new UnverifiableOrphanException(unverifiable);
        }
        return candidates.stream().findFirst();
    }

    /**
     * A service that cannot list: its own way of finding what the create made (Vertex: the row's storage
     * sub-prefix), else nothing can tell. Found nothing is no proof the create never arrived (the video may not
     * be written yet, or was filtered), so the row is reported, not sent again.
     */
    private Optional<VideoJob> findOutput(VideoService client, CreateVideoRequest request, long notBefore) {
        List<VideoJob> found;
        try {
            found = client.outputsOfLostCreate(request, notBefore)
                    .orElseThrow(() -> new UnlistedOrphanException(client.provider().id()));
        } catch (ServiceException e) {
            log.warn(Messages.get("row.orphan-list-failed", e.getMessage()));
            throw e;
        }
        // what a create made appears when its job ends, later than the create was given up on: no upper bound
        List<VideoJob> candidates = found.stream()
                .filter(job -> job.createdAt() == null || job.createdAt() >= notBefore)
                .filter(job -> !ledger.jobIdKnown(job.id()))
                .filter(job -> client.isJobFor(request, job, client.deployment()))
                .toList();
        if (candidates.size() > 1) {
            throw new AmbiguousOrphanException(candidates.stream().map(VideoJob::id).toList());
        }
        if (candidates.isEmpty()) {
            throw new UnlistedOrphanException(client.provider().id());
        }
        return Optional.of(candidates.get(0));
    }
}
