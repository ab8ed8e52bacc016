package dev.sorabatch.job;

import dev.sorabatch.ledger.Failure;
import dev.sorabatch.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.SkipListener;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.MalformedRowException;
import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;

/**
 * Records each row the submit step skipped (unreadable, invalid, or past the budget) in the ledger, so the report
 * shows why and agrees with Spring Batch's skip counts.
 */
public class SkippedRowRecorder implements SkipListener<CsvRow, VideoRequest> {

    private static final Logger log = LoggerFactory.getLogger(SkippedRowRecorder.class);

    private final Ledger ledger;
    private final RunState run;

    public SkippedRowRecorder(Ledger ledger, RunState run) {
        this.ledger = ledger;
        this.run = run;
    }

    @Override
    public void onSkipInRead(Throwable t) {
        if (t instanceof MalformedRowException e) {
            ledger.recordSkipped(run.runId(), e.rowNumber(), null, null, null,
                    Failure.described("malformed_row", e.getMessage(), Messages.get("row.unreadable", e.getMessage())));
            log.warn(Messages.get("log.unreadable-skipped", e.getMessage()));
        }
    }

    @Override
    public void onSkipInProcess(CsvRow row, Throwable t) {
        if (t instanceof InvalidRowException e) {
            ledger.recordSkipped(run.runId(), row.rowNumber(), row.value(InputColumns.ID), row.raw(InputColumns.PROMPT),
                    row.value(InputColumns.IMAGE_URL), Failure.described("invalid_" + e.column().replace('/', '_'),
                            e.getMessage(), Messages.get("row.not-sent", e.getMessage())));
            log.warn(Messages.get("log.row-skipped", row.rowNumber(), "", e.getMessage()));
        } else if (t instanceof BudgetGate.BudgetReachedException e) {
            VideoRequest request = e.request();
            ledger.recordSkipped(run.runId(), request.rowNumber(), request.rowId(), request.prompt(),
                    request.imageUrl(), Failure.described("budget_reached", e.getMessage(),
                            Messages.get("row.budget", e.getMessage())));
            log.warn(Messages.get("log.row-skipped", request.rowNumber(), VideoSubmitter.label(request),
                    e.getMessage()));
        }
    }
}
