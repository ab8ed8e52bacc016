package dev.sorabatch.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.SkipListener;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.MalformedRowException;
import dev.sorabatch.csv.VideoRequest;

/** Records each row the submit step skipped (unreadable or invalid) in the ledger, so the report shows why. */
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
                    Failure.described("malformed_row", e.getMessage(), "The row could not be read: " + e.getMessage()));
            log.warn("SKIPPED {}", e.getMessage());
        }
    }

    @Override
    public void onSkipInProcess(CsvRow row, Throwable t) {
        if (t instanceof InvalidRowException e) {
            ledger.recordSkipped(run.runId(), row.rowNumber(), row.value(InputColumns.ID), row.raw(InputColumns.PROMPT),
                    row.value(InputColumns.IMAGE_URL), Failure.described("invalid_" + e.column().replace('/', '_'),
                            e.getMessage(), "Not sent (no cost): " + e.getMessage()));
            log.warn("row {}: SKIPPED: {}", row.rowNumber(), e.getMessage());
        }
    }
}
