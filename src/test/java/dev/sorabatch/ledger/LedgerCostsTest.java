package dev.sorabatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.pricing.RowCost;

/** The price a row was given when sent is what the budget, the summary and the report count afterwards. */
class LedgerCostsTest {

    private static final long RUN = 7;
    private static final Map<String, BigDecimal> SIZES = Map.of("480x480", new BigDecimal("0.10"));

    private JdbcTemplate jdbc;
    private Ledger ledger;

    @BeforeEach
    void repository() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:costs-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        dev.sorabatch.ledger.LedgerSchema.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        ledger = new Ledger(jdbc, new DataSourceTransactionManager(dataSource));
    }

    @Test
    void theRecordedPricesAddUpPerOutcomeAndTheUnknownOnesAreNamed() {
        sent(1, new RowCost(new BigDecimal("3.20"), "fal-ai/veo3.1 720p audio=on", "fal-ai/veo3.1", null));
        ledger.recordSucceeded(RUN, 1, "COMPLETED", null, "a.mp4", null, 1);
        sent(2, new RowCost(new BigDecimal("0.56"), "fal-ai/kling", "fal-ai/kling", null));
        sent(3, new RowCost(null, "fal-ai/veo3.1/fast", "fal-ai/veo3.1/fast", null));
        ledger.recordSucceeded(RUN, 3, "COMPLETED", null, "c.mp4", null, 1);

        assertThat(ledger.costs().submitted(RUN, SIZES)).isEqualByComparingTo("3.76");
        assertThat(ledger.costs().delivered(RUN, SIZES)).isEqualByComparingTo("3.20");
        assertThat(ledger.costs().unpriced(RUN)).containsExactly("fal-ai/veo3.1/fast");
        assertThat(ledger.find(RUN, 1).orElseThrow().cost()).isEqualByComparingTo("3.20");
        assertThat(ledger.find(RUN, 3).orElseThrow().priceKey()).isEqualTo("fal-ai/veo3.1/fast");
    }

    @Test
    void aRowAnEarlierVersionSentIsPricedByItsSizeAndAnOldLedgerGainsThePriceColumns() {
        jdbc.execute("ALTER TABLE SORA_LEDGER DROP COLUMN COST");
        jdbc.execute("ALTER TABLE SORA_LEDGER DROP COLUMN PRICE_KEY");
        jdbc.update("INSERT INTO SORA_LEDGER (RUN_ID, ROW_NUM, STATUS, WIDTH, HEIGHT, N_SECONDS, N_VARIANTS, JOB_ID, "
                + "SUBMITTING_AT) VALUES (?, 1, 'SUCCEEDED', 480, 480, 5, 2, 'task_old', 1)", RUN);

        // a repository of a version before the schema history: its ledger, no flyway_schema_history
        jdbc.execute("DROP TABLE \"flyway_schema_history\"");
        LedgerSchema.migrate(jdbc.getDataSource());

        assertThat(ledger.costs().submitted(RUN, SIZES)).isEqualByComparingTo("1.00");
        assertThat(ledger.costs().delivered(RUN, SIZES)).isEqualByComparingTo("1.00");
        assertThat(ledger.costs().delivered(RUN, Map.of())).as("no price for its size").isNull();
        assertThat(ledger.costs().unpriced(RUN)).isEmpty();
    }

    private void sent(int row, RowCost cost) {
        ledger.recordSubmitting(RUN, new VideoRequest(row, null, "p" + row, null, 480, 480, 8, 1), "r" + row, null,
                "default", cost);
        ledger.recordSubmitted(RUN, row, "job" + row, null, "IN_QUEUE", null, 1, false, Instant.now(), null);
    }
}
