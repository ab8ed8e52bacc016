package dev.sorabatch.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.springframework.jdbc.core.RowMapper;

/** How a ledger row is read: the columns selected and their mapping onto {@link LedgerEntry}. */
final class LedgerRows {

    static final String COLUMNS = "RUN_ID, ROW_NUM, ROW_ID, PROMPT, IMAGE_URL, WIDTH, HEIGHT, N_SECONDS, "
            + "N_VARIANTS, FILE_STEM, STATUS, JOB_ID, JOB_STATUS, ADOPTED, GENERATION_IDS, VIDEO_FILES, THUMBNAIL_FILES, "
            + "HTTP_STATUS, ERROR_CODE, ERROR_MESSAGE, DIAGNOSIS, REQUEST_ID, NOTE, ATTEMPTS, POLLS, DOWNLOAD_ROUNDS, "
            + "SUBMITTING_AT, SUBMITTED_AT, FINISHED_AT, NEXT_POLL_AT, JOB_CREATED_AT, MODEL, ENDPOINT, LAST_RUNNING_AT, SERVICE_MILLIS, JOB_HANDLE, "
            + "MODEL_INPUTS, COST, PRICE_KEY, REUSED_FROM";

    static final RowMapper<LedgerEntry> MAPPER = LedgerRows::map;

    private static LedgerEntry map(ResultSet rs, int i) throws SQLException {
        return new LedgerEntry(rs.getLong("RUN_ID"), rs.getInt("ROW_NUM"), rs.getString("ROW_ID"), rs.getString("PROMPT"),
                rs.getString("IMAGE_URL"), integer(rs, "WIDTH"), integer(rs, "HEIGHT"), integer(rs, "N_SECONDS"),
                integer(rs, "N_VARIANTS"), rs.getString("FILE_STEM"), RowStatus.valueOf(rs.getString("STATUS")),
                rs.getString("JOB_ID"), rs.getString("JOB_STATUS"), rs.getBoolean("ADOPTED"),
                rs.getString("GENERATION_IDS"), rs.getString("VIDEO_FILES"), rs.getString("THUMBNAIL_FILES"),
                integer(rs, "HTTP_STATUS"), rs.getString("ERROR_CODE"), rs.getString("ERROR_MESSAGE"),
                rs.getString("DIAGNOSIS"), rs.getString("REQUEST_ID"), rs.getString("NOTE"), rs.getInt("ATTEMPTS"),
                rs.getInt("POLLS"),
                rs.getInt("DOWNLOAD_ROUNDS"), longOrNull(rs, "SUBMITTING_AT"), longOrNull(rs, "SUBMITTED_AT"),
                longOrNull(rs, "FINISHED_AT"), longOrNull(rs, "NEXT_POLL_AT"), longOrNull(rs, "JOB_CREATED_AT"),
                rs.getString("MODEL"), rs.getString("ENDPOINT"), longOrNull(rs, "LAST_RUNNING_AT"),
                longOrNull(rs, "SERVICE_MILLIS"), rs.getString("JOB_HANDLE"),
                StoredInputs.read(rs.getString("MODEL_INPUTS")), rs.getBigDecimal("COST"), rs.getString("PRICE_KEY"),
                rs.getString("REUSED_FROM"));
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private LedgerRows() {
    }
}
