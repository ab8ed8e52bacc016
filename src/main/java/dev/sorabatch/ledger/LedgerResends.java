package dev.sorabatch.ledger;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code --resend-unanswered}: rows whose create went unanswered at a service that cannot list its jobs ended
 * FAILED ({@code unanswered_create}) and were not sent again on their own. A run given the flag reopens them as
 * parked creates, so that the collector looks for what the lost create made once more and, finding nothing, sends
 * the row deliberately. A run that completed cannot be restarted, so its rows are first carried into the next
 * run: what succeeded, failed or was skipped stays as it was (nothing is sent again), only the unanswered rows are.
 */
public final class LedgerResends {

    static final String UNANSWERED = "unanswered_create";
    /** Every column but the run and the request counters, which count the calls of the run that made them. */
    private static final String CARRIED = "ROW_NUM, ROW_ID, PROMPT, IMAGE_URL, WIDTH, HEIGHT, N_SECONDS, N_VARIANTS, "
            + "FILE_STEM, STATUS, JOB_ID, JOB_STATUS, ADOPTED, GENERATION_IDS, VIDEO_FILES, THUMBNAIL_FILES, "
            + "HTTP_STATUS, ERROR_CODE, ERROR_MESSAGE, DIAGNOSIS, REQUEST_ID, NOTE, ATTEMPTS, SUBMITTING_AT, "
            + "SUBMITTED_AT, FINISHED_AT, NEXT_POLL_AT, JOB_CREATED_AT, MODEL, ENDPOINT, LAST_RUNNING_AT, "
            + "SERVICE_MILLIS, JOB_HANDLE, MODEL_INPUTS, COST, PRICE_KEY";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    LedgerResends(JdbcTemplate jdbc, TransactionTemplate ownTransaction) {
        this.jdbc = jdbc;
        this.ownTransaction = ownTransaction;
    }

    /**
     * Copies every row of the completed run {@code fromRunId} into {@code toRunId}, once: a run that already has
     * rows (a restart of the carrying run) is left as it is, and so are the file names they had.
     *
     * @return the rows copied
     */
    public int carryOver(long fromRunId, long toRunId) {
        Integer copied = ownTransaction.execute(status -> {
            Integer existing = jdbc.queryForObject("SELECT COUNT(*) FROM SORA_LEDGER WHERE RUN_ID = ?", Integer.class,
                    toRunId);
            if (existing != null && existing > 0) {
                return 0;
            }
            int rows = jdbc.update("INSERT INTO SORA_LEDGER (RUN_ID, " + CARRIED + ") SELECT ?, " + CARRIED
                    + " FROM SORA_LEDGER WHERE RUN_ID = ?", toRunId, fromRunId);
            jdbc.update("INSERT INTO SORA_FILE_NAME (RUN_ID, NAME_KEY, ROW_NUM) SELECT ?, NAME_KEY, ROW_NUM FROM "
                    + "SORA_FILE_NAME WHERE RUN_ID = ?", toRunId, fromRunId);
            return rows;
        });
        return copied == null ? 0 : copied;
    }

    /**
     * An earlier run's row whose create went unanswered, taken into {@code toRunId} as it ended (its send time,
     * endpoint, inputs), saying why it was not sent now: so that {@code --resend-unanswered} can reopen it there.
     */
    public void carryUnanswered(long fromRunId, int fromRow, long toRunId, int toRow, Failure failure) {
        String columns = CARRIED.substring("ROW_NUM, ".length());
        ownTransaction.executeWithoutResult(status -> {
            Integer existing = jdbc.queryForObject("SELECT COUNT(*) FROM SORA_LEDGER WHERE RUN_ID = ? AND ROW_NUM = ?",
                    Integer.class, toRunId, toRow);
            if (existing != null && existing > 0) {
                return;
            }
            jdbc.update("INSERT INTO SORA_LEDGER (RUN_ID, ROW_NUM, " + columns + ") SELECT ?, ?, " + columns
                    + " FROM SORA_LEDGER WHERE RUN_ID = ? AND ROW_NUM = ?", toRunId, toRow, fromRunId, fromRow);
            jdbc.update("UPDATE SORA_LEDGER SET ERROR_MESSAGE = ?, DIAGNOSIS = ? WHERE RUN_ID = ? AND ROW_NUM = ?",
                    Ledger.cut(failure.errorMessage(), 3900), Ledger.cut(failure.diagnosis(), 3900), toRunId, toRow);
        });
    }

    /**
     * The run's rows that ended FAILED with {@code unanswered_create}, parked again (SUBMITTING, due at
     * {@code checkAt}) with their failure cleared; their original send time is kept, so that the look for what
     * that create made covers it.
     *
     * @return their row numbers
     */
    public List<Integer> reopenUnanswered(long runId, Instant checkAt) {
        List<Integer> rows = ownTransaction.execute(status -> {
            List<Integer> found = jdbc.queryForList("SELECT ROW_NUM FROM SORA_LEDGER WHERE RUN_ID = ? AND STATUS = ? "
                    + "AND ERROR_CODE = ? ORDER BY ROW_NUM", Integer.class, runId, RowStatus.FAILED.name(), UNANSWERED);
            jdbc.update("UPDATE SORA_LEDGER SET STATUS = ?, NEXT_POLL_AT = ?, HTTP_STATUS = NULL, ERROR_CODE = NULL, "
                    + "ERROR_MESSAGE = NULL, DIAGNOSIS = NULL, FINISHED_AT = NULL WHERE RUN_ID = ? AND STATUS = ? AND "
                    + "ERROR_CODE = ?", RowStatus.SUBMITTING.name(), checkAt.toEpochMilli(), runId,
                    RowStatus.FAILED.name(), UNANSWERED);
            return found;
        });
        return rows == null ? List.of() : rows;
    }
}
