package dev.sorabatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.pricing.RowCost;

/** Once a job's length is learned, the jobs like it whose next poll is later than that are polled sooner. */
class LedgerServiceTimesTest {

    private static final long RUN = 5;
    private Ledger ledger;

    @BeforeEach
    void repository() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:times-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        LedgerSchema.migrate(dataSource);
        ledger = new Ledger(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
    }

    @Test
    void neverPolledRowsOfTheSameShapeMoveToTheLearnedTimeAndNoOthers() {
        Instant late = Instant.now().plusSeconds(60);
        submitted(1, 480, late);               // waits for its first poll: moves
        submitted(2, 480, late);               // its next poll is a service's hint: stays
        submitted(3, 1280, late);              // another shape: stays
        submitted(4, 480, Instant.now().plusMillis(500)); // due sooner than the learned time anyway: stays
        submitted(5, 480, late);               // seen running before the learned time: moves
        long answered = ledger.find(RUN, 5).orElseThrow().submittedAt();
        ledger.scheduleRunningPoll(RUN, 5, "running", late, Instant.ofEpochMilli(answered + 1_000));
        submitted(6, 480, late);               // seen running after it: late, its own polls follow it
        ledger.scheduleRunningPoll(RUN, 6, "running", late, Instant.ofEpochMilli(answered + 60_000));

        long now = System.currentTimeMillis();
        int moved = ledger.serviceTimes().pollSooner(RUN, 480, 480, 8, 1, 2_000, now, List.of(2));

        assertThat(moved).isEqualTo(2);
        assertThat(nextPoll(1)).isEqualTo(Math.max(ledger.find(RUN, 1).orElseThrow().submittedAt() + 2_000, now));
        assertThat(nextPoll(5)).isEqualTo(Math.max(answered + 2_000, now));
        assertThat(nextPoll(2)).isEqualTo(late.toEpochMilli());
        assertThat(nextPoll(3)).isEqualTo(late.toEpochMilli());
        assertThat(nextPoll(6)).isEqualTo(late.toEpochMilli());
        assertThat(ledger.serviceTimes().pollSooner(RUN + 1, 480, 480, 8, 1, 2_000, now, List.of()))
                .as("another run's rows").isZero();
    }

    @Test
    void aRowWhoseLearnedTimeIsPastIsPolledNow() {
        submitted(1, 480, Instant.now().plusSeconds(60));
        long now = System.currentTimeMillis() + 10_000;

        ledger.serviceTimes().pollSooner(RUN, 480, 480, 8, 1, 1, now, List.of());

        assertThat(nextPoll(1)).isEqualTo(now);
    }

    private long nextPoll(int row) {
        return ledger.find(RUN, row).orElseThrow().nextPollAt();
    }

    private void submitted(int row, int size, Instant firstPoll) {
        ledger.recordSubmitting(RUN, new VideoRequest(row, "id" + row, "prompt " + row, null, size, size == 480 ? 480
                : 720, 8, 1), "r" + row, null, "east", new RowCost(new BigDecimal("0.80"), "480x480", null, null));
        ledger.recordSubmitted(RUN, row, "job" + row, null, "queued", null, 1, false, firstPoll, null);
    }
}
