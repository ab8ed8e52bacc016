package dev.sorabatch.ledger;

import org.springframework.jdbc.core.JdbcTemplate;

/** The ledger's schema beyond {@code db/ledger-schema.sql}: what repositories of earlier versions lack. */
public final class LedgerSchema {

    private LedgerSchema() {
    }

    /**
     * Columns added after the first release, for job repositories made by an earlier version. Only when missing:
     * an ALTER TABLE, even one that changes nothing, waits for every open transaction on the table, so a second
     * process started while a run is going would hang here instead of being told the input is busy.
     */
    public static void addColumnsOfNewerVersions(JdbcTemplate jdbc) {
        for (String[] column : new String[][] { { "MODEL", "VARCHAR(300)" }, { "ENDPOINT", "VARCHAR(100)" },
                { "LAST_RUNNING_AT", "BIGINT" }, { "SERVICE_MILLIS", "BIGINT" },
                { "JOB_HANDLE", "VARCHAR(4000)" }, { "MODEL_INPUTS", "VARCHAR(40000)" }, { "COST", "DECIMAL(18,6)" },
                { "PRICE_KEY", "VARCHAR(300)" }, { "CONTENT_KEY", "VARCHAR(64)" }, { "IMAGE_SHA256", "VARCHAR(64)" },
                { "FILE_DIGESTS", "VARCHAR(16000)" }, { "REUSED_FROM", "VARCHAR(4000)" }, { "REUSED_RUN_ID", "BIGINT" },
                { "REUSED_ROW", "INTEGER" } }) {
            try {
                jdbc.queryForList("SELECT " + column[0] + " FROM SORA_LEDGER WHERE 1 = 0");
            } catch (org.springframework.dao.DataAccessException missing) {
                jdbc.execute("ALTER TABLE SORA_LEDGER ADD COLUMN " + column[0] + " " + column[1]);
            }
        }
        // here rather than in ledger-schema.sql, which runs first: an earlier version's table has no CONTENT_KEY yet
        jdbc.execute("CREATE INDEX IF NOT EXISTS SORA_LEDGER_CONTENT_IDX ON SORA_LEDGER (CONTENT_KEY)");
    }
}
