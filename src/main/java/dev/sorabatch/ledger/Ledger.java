package dev.sorabatch.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.pricing.RowCost;

/**
 * The table beside the job repository that remembers, per run and row, what has been paid for. Every write is
 * committed at once in its own transaction, whatever the step's chunk transaction does afterwards: a job id
 * recorded here survives a crash a millisecond later, and a restart never creates that video again.
 *
 * <p>Times are epoch milliseconds ({@code BIGINT}), not timestamps: they mean the same instant on H2 and
 * PostgreSQL whatever the database's or the JVM's time zone, and the due-poll queries compare them in SQL.
 */
public class Ledger {

    private static final int MAX_TEXT = 3900;
    /**
     * Adds a note after the row's earlier one (about its file names, say), keeping that one when the new note is
     * null; takes the new note twice.
     */
    private static final String ADD_NOTE = "NOTE = SUBSTRING(COALESCE(NOTE || ' ' || :note, :note, NOTE) FROM 1 FOR 1000)";

    private final JdbcTemplate jdbc;
    /** The writes that name many columns, by name. */
    private final JdbcClient sql;
    private final TransactionTemplate ownTransaction;
    /** Told of each row that ends in this process (succeeded, failed or skipped), as then recorded: the metrics. */
    private volatile java.util.function.Consumer<LedgerEntry> rowEnded;

    public Ledger(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.sql = JdbcClient.create(jdbc);
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public void onRowEnded(java.util.function.Consumer<LedgerEntry> listener) {
        this.rowEnded = listener;
    }

    private void ended(long runId, int row) {
        java.util.function.Consumer<LedgerEntry> listener = rowEnded;
        if (listener != null) {
            find(runId, row).ifPresent(listener);
        }
    }

    public Optional<LedgerEntry> find(long runId, int row) {
        return jdbc.query("SELECT " + LedgerRows.COLUMNS + " FROM SORA_LEDGER WHERE RUN_ID = ? AND ROW_NUM = ?",
                LedgerRows.MAPPER, runId, row)
                .stream().findFirst();
    }

    /** An invalid or unreadable row; it was never sent. */
    public void recordSkipped(long runId, int row, String rowId, String prompt, String imageUrl, Failure failure) {
        recordUnsent(runId, row, rowId, prompt, imageUrl, RowStatus.SKIPPED, failure);
    }

    private void recordUnsent(long runId, int row, String rowId, String prompt, String imageUrl, RowStatus status,
            Failure failure) {
        boolean[] inserted = { false };
        write(() -> {
            if (find(runId, row).isEmpty()) {
                sql.sql("INSERT INTO SORA_LEDGER (RUN_ID, ROW_NUM, ROW_ID, PROMPT, IMAGE_URL, STATUS, ERROR_CODE, "
                        + "ERROR_MESSAGE, DIAGNOSIS, FINISHED_AT) VALUES (:run, :row, :rowId, :prompt, :imageUrl, "
                        + ":status, :code, :message, :diagnosis, :now)")
                        .param("run", runId).param("row", row).param("rowId", cut(rowId, 1000))
                        .param("prompt", cut(prompt, 40000)).param("imageUrl", cut(imageUrl, 4000))
                        .param("status", status.name()).param("code", failure.errorCode())
                        .param("message", cut(failure.errorMessage())).param("diagnosis", cut(failure.diagnosis()))
                        .param("now", now()).update();
                inserted[0] = true;
            }
        });
        if (inserted[0]) {
            ended(runId, row);
        }
    }

    /**
     * Jobs a run has at the service (created and recorded, or parked after an unanswered create: that job may
     * exist), per endpoint, for the in-flight caps on restart.
     */
    public java.util.Map<String, Integer> submittedByEndpoint(long runId) {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        jdbc.query("SELECT ENDPOINT, COUNT(*) FROM SORA_LEDGER WHERE RUN_ID = ? AND (STATUS = ? OR STATUS = ? AND "
                + "NEXT_POLL_AT IS NOT NULL) GROUP BY ENDPOINT", rs -> {
                    counts.put(rs.getString(1), rs.getInt(2));
                }, runId, RowStatus.SUBMITTED.name(), RowStatus.SUBMITTING.name());
        return counts;
    }

    /**
     * A create went unanswered (the job may exist): the row stays SUBMITTING, holding its slot, and the collector
     * looks for its job at {@code checkAfter}, once the create had time to land.
     */
    public void park(long runId, int row, int attempts, Instant checkAfter) {
        write(() -> jdbc.update("UPDATE SORA_LEDGER SET ATTEMPTS = ?, NEXT_POLL_AT = ? WHERE RUN_ID = ? AND ROW_NUM = ?",
                attempts, checkAfter.toEpochMilli(), runId, row));
    }

    /** The jobs' lengths the poll planner learned, kept for a restarted run. */
    public LedgerServiceTimes serviceTimes() {
        return new LedgerServiceTimes(jdbc, ownTransaction);
    }

    /**
     * Written just before the create is sent, so a crash in between can be told from "never sent".
     *
     * @param note what the report should say about the row's file names, or null
     * @param cost the row's price, kept from its first send (what the budget counted)
     */
    public void recordSubmitting(long runId, VideoRequest request, String fileStem, String note, String endpoint,
            RowCost cost) {
        write(() -> {
            if (find(runId, request.rowNumber()).isPresent()) {
                jdbc.update("UPDATE SORA_LEDGER SET STATUS = ?, SUBMITTING_AT = ?, ENDPOINT = ?, NEXT_POLL_AT = NULL "
                        + "WHERE RUN_ID = ? AND ROW_NUM = ?", RowStatus.SUBMITTING.name(), now(), endpoint, runId, request.rowNumber());
            } else {
                sql.sql("INSERT INTO SORA_LEDGER (RUN_ID, ROW_NUM, ROW_ID, PROMPT, IMAGE_URL, WIDTH, HEIGHT, "
                        + "N_SECONDS, N_VARIANTS, FILE_STEM, NOTE, STATUS, SUBMITTING_AT, MODEL, ENDPOINT, MODEL_INPUTS, "
                        + "COST, PRICE_KEY) VALUES (:run, :row, :rowId, :prompt, :imageUrl, :width, :height, :seconds, "
                        + ":variants, :stem, :note, :status, :now, :model, :endpoint, :inputs, :cost, :priceKey)")
                        .param("run", runId).param("row", request.rowNumber())
                        .param("rowId", cut(request.rowId(), 1000)).param("prompt", request.prompt())
                        .param("imageUrl", request.imageUrl()).param("width", request.width())
                        .param("height", request.height()).param("seconds", request.nSeconds())
                        .param("variants", request.nVariants()).param("stem", fileStem).param("note", cut(note, 1000))
                        .param("status", RowStatus.SUBMITTING.name()).param("now", now())
                        .param("model", cut(request.model(), 300)).param("endpoint", endpoint)
                        .param("inputs", StoredInputs.write(request.inputs())).param("cost", cost.amount())
                        .param("priceKey", cut(cost.key(), 300)).update();
            }
        });
    }

    /** @param jobHandle what the service needs besides the id to find the job again (null: nothing) */
    public void recordSubmitted(long runId, int row, String jobId, String jobHandle, String jobStatus,
            Long jobCreatedAt, int attempts, boolean adopted, Instant firstPoll, String requestId) {
        String note = adopted ? Messages.get("report.adopted", jobId) : null;
        write(() -> sql.sql("UPDATE SORA_LEDGER SET STATUS = :status, JOB_ID = :jobId, JOB_HANDLE = :handle, "
                + "JOB_STATUS = :jobStatus, JOB_CREATED_AT = :created, ATTEMPTS = :attempts, ADOPTED = :adopted, "
                + "SUBMITTED_AT = :now, NEXT_POLL_AT = :nextPoll, REQUEST_ID = :requestId, " + ADD_NOTE
                + " WHERE RUN_ID = :run AND ROW_NUM = :row")
                .param("status", RowStatus.SUBMITTED.name()).param("jobId", jobId).param("handle", jobHandle)
                .param("jobStatus", jobStatus).param("created", jobCreatedAt).param("attempts", attempts)
                .param("adopted", adopted).param("now", now()).param("nextPoll", firstPoll.toEpochMilli())
                .param("requestId", requestId).param("note", note).param("run", runId).param("row", row).update());
    }

    /** Before a job that expired unseen is created again: lets a crash in between be told apart afterwards. */
    public void markResubmitting(long runId, int row) {
        write(() -> jdbc.update("UPDATE SORA_LEDGER SET SUBMITTING_AT = ? WHERE RUN_ID = ? AND ROW_NUM = ?", now(),
                runId, row));
    }

    /** The row's job expired before it was collected and a new one now stands in for it. */
    public void recordResubmitted(long runId, int row, String jobId, String jobHandle, String jobStatus,
            Long jobCreatedAt, int attempts, Instant firstPoll, String note) {
        write(() -> sql.sql("UPDATE SORA_LEDGER SET JOB_ID = :jobId, JOB_HANDLE = :handle, JOB_STATUS = :jobStatus, "
                + "JOB_CREATED_AT = :created, ATTEMPTS = :attempts, SUBMITTED_AT = :now, NEXT_POLL_AT = :nextPoll, "
                + ADD_NOTE + ", POLLS = POLLS + 1 WHERE RUN_ID = :run AND ROW_NUM = :row")
                .param("jobId", jobId).param("handle", jobHandle).param("jobStatus", jobStatus)
                .param("created", jobCreatedAt).param("attempts", attempts).param("now", now())
                .param("nextPoll", firstPoll.toEpochMilli()).param("note", cut(note, 1000)).param("run", runId)
                .param("row", row).update());
    }

    /** @param polls polls made since the last ledger write (1 when a poll found the job ended) */
    public void recordFailed(long runId, int row, int attempts, int polls, Failure failure) {
        write(() -> sql.sql("UPDATE SORA_LEDGER SET STATUS = :status, HTTP_STATUS = :http, ERROR_CODE = :code, "
                + "ERROR_MESSAGE = :message, DIAGNOSIS = :diagnosis, REQUEST_ID = COALESCE(:requestId, REQUEST_ID), "
                + "ATTEMPTS = GREATEST(ATTEMPTS, :attempts), FINISHED_AT = :now, NEXT_POLL_AT = NULL, "
                + "POLLS = POLLS + :polls WHERE RUN_ID = :run AND ROW_NUM = :row")
                .param("status", RowStatus.FAILED.name()).param("http", failure.httpStatus())
                .param("code", cut(failure.errorCode(), 300)).param("message", cut(failure.errorMessage()))
                .param("diagnosis", cut(failure.diagnosis())).param("requestId", failure.requestId())
                .param("attempts", attempts).param("now", now()).param("polls", polls).param("run", runId)
                .param("row", row).update());
        ended(runId, row);
    }

    public void recordSucceeded(long runId, int row, String jobStatus, String generationIds, String videoFiles,
            String thumbnailFiles, int downloads) {
        write(() -> sql.sql("UPDATE SORA_LEDGER SET STATUS = :status, JOB_STATUS = :jobStatus, "
                + "GENERATION_IDS = :generations, VIDEO_FILES = :videos, THUMBNAIL_FILES = :thumbnails, "
                + "FINISHED_AT = :now, NEXT_POLL_AT = NULL, HTTP_STATUS = NULL, ERROR_CODE = NULL, ERROR_MESSAGE = NULL, "
                + "DIAGNOSIS = NULL, POLLS = POLLS + 1, DOWNLOADS = DOWNLOADS + :downloads "
                + "WHERE RUN_ID = :run AND ROW_NUM = :row")
                .param("status", RowStatus.SUCCEEDED.name()).param("jobStatus", jobStatus)
                .param("generations", generationIds).param("videos", videoFiles).param("thumbnails", thumbnailFiles)
                .param("now", now()).param("downloads", downloads).param("run", runId).param("row", row).update());
        ended(runId, row);
    }

    /** After a poll that found the job still going (or a poll that failed transiently). */
    public void schedulePoll(long runId, int row, String jobStatus, Instant next, boolean downloadRound) {
        write(() -> jdbc.update("UPDATE SORA_LEDGER SET JOB_STATUS = COALESCE(?, JOB_STATUS), NEXT_POLL_AT = ?, "
                + "POLLS = POLLS + 1, DOWNLOAD_ROUNDS = DOWNLOAD_ROUNDS + ? WHERE RUN_ID = ? AND ROW_NUM = ?",
                jobStatus, next.toEpochMilli(), downloadRound ? 1 : 0, runId, row));
    }

    /** After a poll that saw the job still running at {@code seenAt}: the lower end of its length's bracket. */
    public void scheduleRunningPoll(long runId, int row, String jobStatus, Instant next, Instant seenAt) {
        write(() -> jdbc.update("UPDATE SORA_LEDGER SET JOB_STATUS = COALESCE(?, JOB_STATUS), NEXT_POLL_AT = ?, "
                + "POLLS = POLLS + 1, LAST_RUNNING_AT = ? WHERE RUN_ID = ? AND ROW_NUM = ?", jobStatus,
                next.toEpochMilli(), seenAt.toEpochMilli(), runId, row));
    }

    /** Submitted jobs whose next poll is due, and parked creates whose check is due, soonest first. */
    public List<LedgerEntry> due(long runId, Instant now, int limit) {
        return jdbc.query("SELECT " + LedgerRows.COLUMNS + " FROM SORA_LEDGER WHERE RUN_ID = ? AND STATUS IN (?, ?) AND "
                + "NEXT_POLL_AT <= ? ORDER BY NEXT_POLL_AT, ROW_NUM FETCH FIRST " + limit + " ROWS ONLY",
                LedgerRows.MAPPER, runId,
                RowStatus.SUBMITTED.name(), RowStatus.SUBMITTING.name(), now.toEpochMilli());
    }

    public Optional<Instant> nextPoll(long runId) {
        Long next = jdbc.queryForObject("SELECT MIN(NEXT_POLL_AT) FROM SORA_LEDGER WHERE RUN_ID = ? AND STATUS IN "
                + "(?, ?)", Long.class, runId, RowStatus.SUBMITTED.name(), RowStatus.SUBMITTING.name());
        return Optional.ofNullable(next).map(Instant::ofEpochMilli);
    }

    public int countInFlight(long runId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM SORA_LEDGER WHERE RUN_ID = ? AND STATUS IN (?, ?)",
                Integer.class, runId, RowStatus.SUBMITTING.name(), RowStatus.SUBMITTED.name());
        return n == null ? 0 : n;
    }

    /** Download requests made for a row (retries included), for the run's request count. */
    public void countDownloads(long runId, int row, int downloads) {
        if (downloads > 0) {
            write(() -> jdbc.update("UPDATE SORA_LEDGER SET DOWNLOADS = DOWNLOADS + ? WHERE RUN_ID = ? AND ROW_NUM = ?",
                    downloads, runId, row));
        }
    }

    /** What the run's rows cost, as priced when they were sent. */
    public LedgerCosts costs() {
        return new LedgerCosts(jdbc);
    }

    /** The rows {@code --resend-unanswered} sends again deliberately. */
    public LedgerResends resends() {
        return new LedgerResends(jdbc, ownTransaction);
    }

    public boolean stemTaken(long runId, String stem) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM SORA_LEDGER WHERE RUN_ID = ? AND FILE_STEM = ?",
                Integer.class, runId, stem);
        return n != null && n > 0;
    }

    /** Whether any row of any run already owns this service job (an orphan must not be adopted twice). */
    public boolean jobIdKnown(String jobId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM SORA_LEDGER WHERE JOB_ID = ?", Integer.class, jobId);
        return n != null && n > 0;
    }

    /** The run's rows in input order, fetched as they are consumed (close the stream). */
    public Stream<LedgerEntry> streamInOrder(long runId) {
        return jdbc.queryForStream("SELECT " + LedgerRows.COLUMNS + " FROM SORA_LEDGER WHERE RUN_ID = ? ORDER BY ROW_NUM",
                LedgerRows.MAPPER,
                runId);
    }

    public RunCounts counts(long runId) {
        return RunCounts.of(jdbc, runId);
    }

    private void write(Runnable statement) {
        ownTransaction.executeWithoutResult(status -> statement.run());
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static String cut(String text) {
        return cut(text, MAX_TEXT);
    }

    static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
