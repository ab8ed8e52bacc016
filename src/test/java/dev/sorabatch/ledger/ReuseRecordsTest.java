package dev.sorabatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.pricing.RowCost;

/**
 * What reuse by content keeps in the ledger: a repository of an earlier version gains the columns and the index; a
 * delivered row is found by its key (the same row number first), a reused row names the row that paid for it, and
 * costs this run nothing.
 */
class ReuseRecordsTest {

    private static final String KEY = "a".repeat(64);

    private final DriverManagerDataSource dataSource = new DriverManagerDataSource(
            "jdbc:h2:mem:reuse-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    private final DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);

    @Test
    void anEarlierVersionsLedgerGainsTheColumnsAndTheIndexAndItsOldRowsAreNeverReused() {
        dev.sorabatch.ledger.LedgerSchema.migrate(dataSource);
        for (String column : List.of("CONTENT_KEY", "IMAGE_SHA256", "FILE_DIGESTS", "REUSED_FROM", "REUSED_RUN_ID",
                "REUSED_ROW")) {
            jdbc.execute("ALTER TABLE SORA_LEDGER DROP COLUMN " + column);
        }
        jdbc.update("INSERT INTO SORA_LEDGER (RUN_ID, ROW_NUM, STATUS, PROMPT, VIDEO_FILES) VALUES (1, 1, "
                + "'SUCCEEDED', 'p', 'old.mp4')");

        // a repository of a version before the schema history: its ledger, no flyway_schema_history
        jdbc.execute("DROP TABLE \"flyway_schema_history\"");
        LedgerSchema.migrate(dataSource);
        LedgerSchema.migrate(dataSource);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = "
                + "'SORA_LEDGER_CONTENT_IDX'", Integer.class)).isEqualTo(1);
        Ledger ledger = new Ledger(jdbc, transactions);
        assertThat(ledger.find(1, 1).orElseThrow().reused()).isFalse();
        assertThat(new ReuseRecords(jdbc, transactions).earlier(KEY, 2, 1, 10))
                .as("a row delivered before content keys were recorded has none").isEmpty();
    }

    @Test
    void aDeliveredRowIsFoundByItsKeyAndAReusedOneNamesTheRowThatPaid() {
        dev.sorabatch.ledger.LedgerSchema.migrate(dataSource);
        Ledger ledger = new Ledger(jdbc, transactions);
        ReuseRecords records = new ReuseRecords(jdbc, transactions);
        VideoRequest request = new VideoRequest(3, "lake", "A lake", null, 480, 480, 5, 1);
        ledger.recordSubmitting(1, request, "lake", null, "default", new RowCost(null, "480x480", null, null));
        ledger.recordSubmitted(1, 3, "task_1", null, "queued", null, 1, false, Instant.now(), null);
        List<FileDigest> files = List.of(new FileDigest("/out/lake.mp4", 10, "b".repeat(64), true),
                new FileDigest("/out/lake.jpg", 2, "c".repeat(64), false));
        records.recordDelivered(1, 3, KEY, files);
        ledger.recordSucceeded(1, 3, "succeeded", "gen_1", "/out/lake.mp4", "/out/lake.jpg", 2);

        ReuseRecords.Earlier earlier = records.earlier(KEY, 2, 7, 10).get(0);
        records.recordReused(2, new VideoRequest(7, "other", "A lake", null, 480, 480, 5, 1), KEY,
                new ReuseRecords.Reuse(earlier, "run 1 row 3 (started x)", "lake", files, "out/lake.mp4",
                        "out/lake.jpg", "note"));
        ReuseRecords.Earlier chained = records.earlier(KEY, 3, 1, 10).stream().filter(e -> e.runId() == 2)
                .findFirst().orElseThrow();

        assertThat(earlier.files()).isEqualTo(files);
        assertThat(records.earlier(KEY, 1, 3, 10)).as("not the run's own rows")
                .extracting(ReuseRecords.Earlier::runId).containsExactly(2L);
        LedgerEntry reused = ledger.find(2, 7).orElseThrow();
        assertThat(reused.reused()).isTrue();
        assertThat(reused.status()).isEqualTo(RowStatus.SUCCEEDED);
        assertThat(reused.sent()).as("nothing was sent for it").isFalse();
        assertThat(ledger.costs().delivered(2, java.util.Map.of("480x480", java.math.BigDecimal.ONE)))
                .as("it costs this run nothing").isNull();
        assertThat(ledger.counts(2).videos()).as("no video this run's requests paid for").isZero();
        assertThat(chained.originRunId()).isEqualTo(1);
        assertThat(chained.originRow()).isEqualTo(3);
        assertThat(chained.jobId()).as("the paying row's job").isEqualTo("task_1");
        assertThat(records.originsReusedBy(2)).containsExactly(ReuseRecords.origin(1, 3));
    }
}
