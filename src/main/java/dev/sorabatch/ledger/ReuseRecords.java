package dev.sorabatch.ledger;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sorabatch.csv.VideoRequest;

/**
 * The ledger's record of what a delivered video was made from and where it went (its content key, the image's
 * hash, each file's size and hash), and of the rows that reused such a video instead of paying for it again. Each
 * write is committed at once in its own transaction, like the ledger's: a reused row is recorded before the next
 * row is read, so a restart finds it decided.
 */
public class ReuseRecords {

    /**
     * A row of an earlier run that delivered a video with the content key asked for. {@code originRunId} and
     * {@code originRow} are the row that paid for it (itself, unless it reused one in turn).
     */
    public record Earlier(long runId, int rowNum, String fileStem, String jobId, String generationIds,
            String imageSha256, List<FileDigest> files, String reusedFrom, long originRunId, int originRow,
            String priceKey) {
    }

    /**
     * What a row reuses: the earlier row, how the report names where its video was paid for, and its files in this
     * run's output folder ({@code videoFiles} and {@code thumbnailFiles} as the report lists them).
     */
    public record Reuse(Earlier from, String reusedFrom, String fileStem, List<FileDigest> files, String videoFiles,
            String thumbnailFiles, String note) {
    }

    /** A reused row has no job of its own: the job is the paying row's. */
    private static final String EARLIER = "SELECT RUN_ID, ROW_NUM, FILE_STEM, COALESCE(JOB_ID, (SELECT o.JOB_ID FROM "
            + "SORA_LEDGER o WHERE o.RUN_ID = l.REUSED_RUN_ID AND o.ROW_NUM = l.REUSED_ROW)) AS JOB_ID, GENERATION_IDS, "
            + "IMAGE_SHA256, FILE_DIGESTS, REUSED_FROM, REUSED_RUN_ID, REUSED_ROW, PRICE_KEY FROM SORA_LEDGER l "
            + "WHERE CONTENT_KEY = ? "
            + "AND STATUS = 'SUCCEEDED' AND RUN_ID <> ? AND FILE_DIGESTS IS NOT NULL "
            + "ORDER BY CASE WHEN ROW_NUM = ? THEN 0 ELSE 1 END, FINISHED_AT DESC, RUN_ID DESC FETCH FIRST ";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    public ReuseRecords(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Before a delivered row is marked SUCCEEDED: what its video was made from, and the files it was saved to. */
    public void recordDelivered(long runId, int row, String contentKey, List<FileDigest> files) {
        write(() -> jdbc.update("UPDATE SORA_LEDGER SET CONTENT_KEY = ?, FILE_DIGESTS = ? WHERE RUN_ID = ? AND "
                + "ROW_NUM = ?", contentKey, FileDigest.write(files), runId, row));
    }

    /**
     * Rows of runs other than {@code exceptRun} whose create went unanswered at a service that cannot list its
     * jobs ({@code unanswered_create}), and every later row of the same prompt: whether such a create was settled
     * since (sent again deliberately) is decided from them. Rare rows: one query per run.
     */
    public List<LedgerEntry> unansweredAndLater(long exceptRun) {
        return jdbc.query("SELECT " + LedgerRows.COLUMNS + " FROM SORA_LEDGER l WHERE RUN_ID <> ? AND EXISTS ("
                + "SELECT 1 FROM SORA_LEDGER u WHERE u.ERROR_CODE = 'unanswered_create' AND u.RUN_ID <> ? "
                + "AND u.RUN_ID <= l.RUN_ID AND u.PROMPT = l.PROMPT) ORDER BY RUN_ID", LedgerRows.MAPPER, exceptRun,
                exceptRun);
    }

    /** The hash of the image bytes fetched for the row's create (only for services that take the bytes). */
    public void recordImage(long runId, int row, String sha256) {
        write(() -> jdbc.update("UPDATE SORA_LEDGER SET IMAGE_SHA256 = ? WHERE RUN_ID = ? AND ROW_NUM = ?", sha256,
                runId, row));
    }

    /**
     * Rows of other runs that delivered a video with this key, the same row number first (the same CSV run again),
     * then the newest.
     */
    public List<Earlier> earlier(String contentKey, long exceptRun, int sameRow, int limit) {
        return jdbc.query(EARLIER + limit + " ROWS ONLY", (rs, i) -> {
            long runId = rs.getLong("RUN_ID");
            int rowNum = rs.getInt("ROW_NUM");
            long originRun = rs.getLong("REUSED_RUN_ID");
            boolean reused = !rs.wasNull();
            return new Earlier(runId, rowNum, rs.getString("FILE_STEM"), rs.getString("JOB_ID"),
                    rs.getString("GENERATION_IDS"), rs.getString("IMAGE_SHA256"),
                    FileDigest.read(rs.getString("FILE_DIGESTS")), rs.getString("REUSED_FROM"),
                    reused ? originRun : runId, reused ? rs.getInt("REUSED_ROW") : rowNum, rs.getString("PRICE_KEY"));
        }, contentKey, exceptRun, sameRow);
    }

    /** The paid-for rows ({@code run:row}) whose video a row of this run already reuses. */
    public Set<String> originsReusedBy(long runId) {
        Set<String> origins = new HashSet<>();
        jdbc.query("SELECT REUSED_RUN_ID, REUSED_ROW FROM SORA_LEDGER WHERE RUN_ID = ? AND REUSED_RUN_ID IS NOT NULL",
                rs -> {
                    origins.add(origin(rs.getLong(1), rs.getInt(2)));
                }, runId);
        return origins;
    }

    public static String origin(long runId, int row) {
        return runId + ":" + row;
    }

    /**
     * The row is SUCCEEDED with the earlier row's video, at no cost to this run: nothing was sent, so no price is
     * recorded (the costs count it nowhere, the report says {@code 0.00 USD}). Recorded only if the row is not in
     * the ledger yet.
     */
    public void recordReused(long runId, VideoRequest request, String contentKey, Reuse reuse) {
        Earlier from = reuse.from();
        String priceKey = from.priceKey() != null ? from.priceKey() : request.width() + "x" + request.height();
        write(() -> {
            Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM SORA_LEDGER WHERE RUN_ID = ? AND ROW_NUM = ?",
                    Integer.class, runId, request.rowNumber());
            if (known != null && known > 0) {
                return;
            }
            jdbc.update("INSERT INTO SORA_LEDGER (RUN_ID, ROW_NUM, ROW_ID, PROMPT, IMAGE_URL, WIDTH, HEIGHT, "
                    + "N_SECONDS, N_VARIANTS, FILE_STEM, NOTE, STATUS, MODEL, MODEL_INPUTS, COST, PRICE_KEY, "
                    + "GENERATION_IDS, VIDEO_FILES, THUMBNAIL_FILES, FINISHED_AT, CONTENT_KEY, IMAGE_SHA256, "
                    + "FILE_DIGESTS, REUSED_FROM, REUSED_RUN_ID, REUSED_ROW) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runId, request.rowNumber(),
                    Ledger.cut(request.rowId(), 1000), request.prompt(), request.imageUrl(), request.width(),
                    request.height(), request.nSeconds(), request.nVariants(), reuse.fileStem(),
                    Ledger.cut(reuse.note(), 1000), RowStatus.SUCCEEDED.name(), Ledger.cut(request.model(), 300),
                    StoredInputs.write(request.inputs()), null, Ledger.cut(priceKey, 300),
                    from.generationIds(), reuse.videoFiles(), reuse.thumbnailFiles(), System.currentTimeMillis(),
                    contentKey, from.imageSha256(), FileDigest.write(reuse.files()),
                    Ledger.cut(reuse.reusedFrom(), 4000), from.originRunId(), from.originRow());
        });
    }

    private void write(Runnable statement) {
        ownTransaction.executeWithoutResult(status -> statement.run());
    }
}
