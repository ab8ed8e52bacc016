package dev.sorabatch.ledger;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The service's time for each ended job, as the poll planner learned it: what a restarted run starts from. */
public final class LedgerServiceTimes {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    LedgerServiceTimes(JdbcTemplate jdbc, TransactionTemplate ownTransaction) {
        this.jdbc = jdbc;
        this.ownTransaction = ownTransaction;
    }

    /** The service's time for this row's job, as learned when it ended (ms), for the poll planner after a restart. */
    public void record(long runId, int row, long millis) {
        ownTransaction.executeWithoutResult(status -> jdbc.update(
                "UPDATE SORA_LEDGER SET SERVICE_MILLIS = ? WHERE RUN_ID = ? AND ROW_NUM = ?", millis, runId, row));
    }

    /** The most recently learned service times of this run's jobs, oldest first. */
    public List<LedgerEntry> latest(long runId, int limit) {
        List<LedgerEntry> newestFirst = jdbc.query("SELECT " + LedgerRows.COLUMNS
                + " FROM SORA_LEDGER WHERE RUN_ID = ? AND "
                + "SERVICE_MILLIS IS NOT NULL ORDER BY FINISHED_AT DESC, ROW_NUM DESC FETCH FIRST " + limit
                + " ROWS ONLY", LedgerRows.MAPPER, runId);
        List<LedgerEntry> oldestFirst = new java.util.ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /**
     * Jobs of this shape (width, height, seconds, variants; null matches null) whose next poll is set later than
     * {@code delayMillis} after their create was answered are polled then instead (now, if that is past): jobs like
     * them take that long, as just learned. Not moved: a row seen running after that time (it is late, its own
     * polls follow it), one downloading, and the {@code held} rows, whose next poll a service's hint or a retry pause
     * set.
     *
     * @return how many rows were moved
     */
    public int pollSooner(long runId, Integer width, Integer height, Integer seconds, Integer variants,
            long delayMillis, long nowMillis, java.util.Collection<Integer> held) {
        String notHeld = held.isEmpty() ? "" : " AND ROW_NUM NOT IN (" + String.join(",",
                held.stream().map(String::valueOf).toList()) + ")";
        return ownTransaction.execute(status -> jdbc.update("UPDATE SORA_LEDGER SET NEXT_POLL_AT = "
                + "GREATEST(?, SUBMITTED_AT + ?) WHERE RUN_ID = ? AND STATUS = ? AND DOWNLOAD_ROUNDS = 0 "
                + "AND SUBMITTED_AT IS NOT NULL AND NEXT_POLL_AT > SUBMITTED_AT + ? "
                + "AND (LAST_RUNNING_AT IS NULL OR LAST_RUNNING_AT < SUBMITTED_AT + ?) AND COALESCE(WIDTH, -1) = ? "
                + "AND COALESCE(HEIGHT, -1) = ? AND COALESCE(N_SECONDS, -1) = ? AND COALESCE(N_VARIANTS, -1) = ?"
                + notHeld, nowMillis, delayMillis, runId, RowStatus.SUBMITTED.name(), delayMillis, delayMillis,
                orNone(width), orNone(height), orNone(seconds), orNone(variants)));
    }

    private static int orNone(Integer value) {
        return value == null ? -1 : value;
    }
}
