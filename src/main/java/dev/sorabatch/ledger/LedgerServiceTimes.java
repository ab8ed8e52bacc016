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
}
