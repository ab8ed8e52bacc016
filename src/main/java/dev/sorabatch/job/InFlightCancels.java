package dev.sorabatch.job;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.Failure;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.ledger.RowStatus;
import dev.sorabatch.service.ServiceException;

/**
 * {@code cancel --cancel-jobs}: the jobs this run has in flight are cancelled at their service as the run stops. A
 * row whose job the service confirmed cancelled ends FAILED (a re-run sends it again); a row whose job could not
 * be cancelled stays in flight, so the resumed run collects the video the service goes on making (and bills).
 */
final class InFlightCancels {

    private static final Logger log = LoggerFactory.getLogger(InFlightCancels.class);

    private final Ledger ledger;
    private final Endpoints endpoints;

    InFlightCancels(Ledger ledger, Endpoints endpoints) {
        this.ledger = ledger;
        this.endpoints = endpoints;
    }

    /** @return how many jobs were cancelled, and how many the service would not cancel */
    int[] cancelAll(long runId) {
        List<LedgerEntry> inFlight;
        try (var rows = ledger.streamInOrder(runId)) {
            inFlight = rows.filter(e -> e.status() == RowStatus.SUBMITTED && e.jobId() != null).toList();
        }
        int cancelled = 0;
        int refused = 0;
        for (LedgerEntry entry : inFlight) {
            Endpoints.Endpoint endpoint = endpoints.endpoint(entry.endpoint());
            try {
                endpoint.connection().client().cancel(entry.jobId(), entry.jobHandle());
                ledger.recordFailed(runId, entry.rowNum(), entry.attempts(), entry.polls(),
                        Failure.described("cancelled", Messages.get("cancel.job-cancelled", entry.jobId()),
                                Messages.get("cancel.job-cancelled.diagnosis")));
                cancelled++;
            } catch (ServiceException | IllegalArgumentException e) {
                log.warn(Messages.get("cancel.job-not-cancelled", entry.rowNum(), entry.jobId(), e.getMessage()));
                refused++;
            }
        }
        if (!inFlight.isEmpty()) {
            log.info(Messages.get("cancel.jobs-cancelled", cancelled, refused));
        }
        return new int[] { cancelled, refused };
    }
}
