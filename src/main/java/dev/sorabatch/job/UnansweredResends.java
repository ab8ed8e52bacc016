package dev.sorabatch.job;

import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.Ledger;

/**
 * {@code --resend-unanswered}: a create whose answer was lost at a service that cannot list its jobs is never sent
 * again on its own (the row ends FAILED, {@code unanswered_create}); the user sends it deliberately with this flag.
 * The run resumed (or, when the last run completed, the next run, which first takes over that run's rows as they
 * ended) reopens those rows as parked creates: the collector looks once more for what the lost create made
 * (Vertex with a storage prefix: the row's videos) and adopts it, or sends the row again, once. Both are
 * non-identifying job parameters: they change what a run does, not which run it is.
 */
final class UnansweredResends {

    private static final Logger log = LoggerFactory.getLogger(UnansweredResends.class);
    static final String RESEND = "resend.unanswered";
    /** The job instance of the completed run whose rows the new run takes over. */
    static final String CARRY_FROM = "resend.from";

    private UnansweredResends() {
    }

    static void addTo(JobParametersBuilder parameters, boolean resend, Long carryFrom) {
        if (resend) {
            parameters.addString(RESEND, "true", false);
        }
        if (resend && carryFrom != null) {
            parameters.addLong(CARRY_FROM, carryFrom, false);
        }
    }

    /** At the start of a run given the flag: takes over the completed run's rows, then reopens the unanswered ones. */
    static void open(JobParameters parameters, long runId, Ledger ledger, RunState run) {
        boolean resend = "true".equals(parameters.getString(RESEND));
        run.resendUnanswered(resend);
        if (!resend) {
            return;
        }
        Long from = parameters.getLong(CARRY_FROM);
        if (from != null) {
            int carried = ledger.resends().carryOver(from, runId);
            if (carried > 0) {
                log.info(Messages.get("run.resend-carried", carried));
            }
        }
        List<Integer> rows = ledger.resends().reopenUnanswered(runId, Instant.now());
        run.resendDeliberately(rows);
        log.info(rows.isEmpty() ? Messages.get("run.resend-none")
                : Messages.get("run.resend-rows", rows.size(), rows.toString()));
    }
}
