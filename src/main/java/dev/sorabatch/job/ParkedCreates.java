package dev.sorabatch.job;

import dev.sorabatch.ledger.Failure;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;

/**
 * The orphan check of a row whose create went unanswered, run by the collector (the submit step parked the row and
 * went on): the job is adopted if the service lists it, else, once the create had time to land, the create is sent
 * again (within the retry policy's attempts). At a service that cannot list, the row fails as possibly created,
 * unless {@code --resend-unanswered} reopened it: then it is sent again, once.
 * <p>
 * A service that lists is asked soon (a lost answer's job is usually there at once). If its job is not there, the
 * row gives up its in-flight slot while the create settles, so that the other rows use it; it takes a free one
 * again before anything is sent, and takes one in any case if the job turns up after all (it runs at the service).
 */
class ParkedCreates {

    private static final Logger log = LoggerFactory.getLogger(ParkedCreates.class);
    /** How soon a settled row looks again for a free slot when every one is taken. */
    private static final Duration SLOT_AGAIN = Duration.ofMillis(250);

    private final Ledger ledger;
    private final Endpoints endpoints;
    private final RunState run;
    private final VideoSubmitter submitter;
    private final PollPlanner polls;
    /** Parked rows that gave up their slot while their create settles (run:row). */
    private final Set<String> slotless = ConcurrentHashMap.newKeySet();

    ParkedCreates(Ledger ledger, Endpoints endpoints, RunState run, VideoSubmitter submitter, PollPlanner polls) {
        this.ledger = ledger;
        this.endpoints = endpoints;
        this.run = run;
        this.submitter = submitter;
        this.polls = polls;
    }

    void check(LedgerEntry entry) {
        long runId = run.runId();
        String key = RowKey.of(entry);
        ServiceConnection sora = endpoints.endpoint(entry.endpoint()).connection();
        VideoRequest request = entry.request();
        AtomicInteger attempts = new AtomicInteger(entry.attempts());
        try {
            Optional<VideoJob> orphan;
            try {
                orphan = submitter.findOrphan(sora, request, entry.submittingAt());
            } catch (OrphanFinder.UnlistedOrphanException e) {
                if (!run.takeDeliberateResend(entry.rowNum())) {
                    throw e;
                }
                // --resend-unanswered: nothing the lost create made can be found, and the user asked to send it
                log.info(Messages.get("log.row-resend-deliberate", entry.rowNum()));
                orphan = Optional.empty();
            } catch (ServiceException e) {
                if (e.kind() != ErrorKind.TRANSIENT) {
                    throw e;
                }
                // the list failed: look again after the retry pause (what settles is the create, not the list)
                ledger.park(runId, entry.rowNum(), attempts.get(),
                        Instant.now().plus(sora.retrier().policy().pauseAfter(e)));
                return;
            }
            if (orphan.isPresent()) {
                VideoJob job = orphan.get();
                if (slotless.remove(key)) {
                    endpoints.occupy(entry.endpoint());
                }
                submitter.settled(runId, entry.rowNum());
                ledger.recordSubmitted(runId, entry.rowNum(), job.id(), job.handle(), job.status(), job.createdAt(),
                        Math.max(attempts.get(), 1), true, Instant.now(), null);
                log.info(Messages.get("log.row-adopted-parked", entry.rowNum(), job.id()));
                return;
            }
            Instant settled = submitter.settledAt(runId, entry.rowNum());
            if (Instant.now().isBefore(settled) && sora.client().traits().listsJobs()) {
                if (slotless.add(key)) {
                    endpoints.release(entry.endpoint());
                }
                ledger.park(runId, entry.rowNum(), attempts.get(), settled);
                return;
            }
            if (slotless.contains(key)) {
                if (!endpoints.tryOccupy(entry.endpoint())) {
                    ledger.park(runId, entry.rowNum(), attempts.get(), Instant.now().plus(SLOT_AGAIN));
                    return;
                }
                slotless.remove(key);
            }
            submitter.settled(runId, entry.rowNum());
            VideoSubmitter.Submission submission = submitter.submit(sora, request, entry.submittingAt(), attempts,
                    true);
            VideoJob job = submission.job();
            ledger.recordSubmitted(runId, entry.rowNum(), job.id(), job.handle(), job.status(), job.createdAt(), attempts.get(),
                    submission.adopted(), polls.firstPoll(PollPlanner.Shape.of(entry), Instant.now(), key),
                    job.requestId());
            log.info(Messages.get("log.row-resent", entry.rowNum(), job.id(), attempts.get()));
        } catch (VideoSubmitter.CreateUnanswered e) {
            ledger.park(runId, entry.rowNum(), attempts.get(), submitter.firstLook(sora, runId, entry.rowNum()));
            log.info(Messages.get("log.row-note", entry.rowNum(), "", e.getMessage()));
        } catch (OrphanFinder.AmbiguousOrphanException e) {
            fail(entry, attempts.get(), e.failure());
        } catch (ServiceException e) {
            String diagnosis = Diagnoses.of(e, sora.client());
            if (e.kind() == ErrorKind.SYSTEMIC || e.httpStatus() == 0) {
                // As when submitting: nothing more is sent; the row stays parked and a restart checks it again.
                run.abort(diagnosis);
                return;
            }
            fail(entry, attempts.get(), Failure.of(e, diagnosis));
        }
    }

    private void fail(LedgerEntry entry, int attempts, Failure failure) {
        submitter.settled(run.runId(), entry.rowNum());
        ledger.recordFailed(run.runId(), entry.rowNum(), attempts, 0, failure);
        if (!slotless.remove(RowKey.of(entry))) {
            endpoints.release(entry.endpoint());
        }
        log.warn(Messages.get("log.row-failed", entry.rowNum(), "", failure.diagnosis()));
    }
}
