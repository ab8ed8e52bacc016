package dev.sorabatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.pricing.RowCost;

/**
 * A row's life in the ledger, as the submit writer and the collector see it: recorded, polled when due and not
 * before, ended, or parked after an unanswered create; and what a restarted run of the same id finds there.
 */
class LedgerTest {

    private static final long RUN = 11;
    private static final Instant FIRST_POLL = Instant.parse("2030-01-01T12:00:00Z");

    private DriverManagerDataSource dataSource;
    private Ledger ledger;

    @BeforeEach
    void repository() {
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:ledger-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        LedgerSchema.migrate(dataSource);
        ledger = open();
    }

    /** A ledger over the same repository, as a restarted process builds it. */
    private Ledger open() {
        return new Ledger(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
    }

    @Test
    void aSubmittedRowKeepsItsJobAndIsDueAtItsFirstPollAndNotBefore() {
        submitting(1, "east");
        ledger.recordSubmitted(RUN, 1, "task_1", "{\"status_url\":\"s\"}", "queued", 1_893_499_200L, 2, false,
                FIRST_POLL, "req-1");

        LedgerEntry entry = ledger.find(RUN, 1).orElseThrow();
        assertThat(entry.status()).isEqualTo(RowStatus.SUBMITTED);
        assertThat(entry.jobId()).isEqualTo("task_1");
        assertThat(entry.jobHandle()).isEqualTo("{\"status_url\":\"s\"}");
        assertThat(entry.jobStatus()).isEqualTo("queued");
        assertThat(entry.jobCreatedAt()).isEqualTo(1_893_499_200L);
        assertThat(entry.attempts()).isEqualTo(2);
        assertThat(entry.requestId()).isEqualTo("req-1");
        assertThat(entry.adopted()).isFalse();
        assertThat(entry.parked()).isFalse();
        assertThat(entry.sent()).isTrue();
        assertThat(entry.nextPollAt()).isEqualTo(FIRST_POLL.toEpochMilli());
        assertThat(entry.submittedAt()).isNotNull();
        assertThat(entry.finishedAt()).isNull();

        assertThat(ledger.due(RUN, FIRST_POLL.minusMillis(1), 10)).as("a millisecond early").isEmpty();
        assertThat(ledger.due(RUN, FIRST_POLL, 10)).extracting(LedgerEntry::rowNum).containsExactly(1);
        assertThat(ledger.nextPoll(RUN)).contains(FIRST_POLL);
        assertThat(ledger.countInFlight(RUN)).isEqualTo(1);
        assertThat(ledger.due(RUN + 1, FIRST_POLL, 10)).as("another run's rows").isEmpty();
        assertThat(ledger.countInFlight(RUN + 1)).isZero();
    }

    @Test
    void eachPollMovesTheNextOneAndCountsItself() {
        submitted(1, FIRST_POLL);
        Instant later = FIRST_POLL.plusSeconds(30);

        ledger.schedulePoll(RUN, 1, "in_progress", later, true);

        LedgerEntry polled = ledger.find(RUN, 1).orElseThrow();
        assertThat(polled.nextPollAt()).isEqualTo(later.toEpochMilli());
        assertThat(polled.jobStatus()).isEqualTo("in_progress");
        assertThat(polled.polls()).isEqualTo(1);
        assertThat(polled.downloadRounds()).isEqualTo(1);
        assertThat(ledger.due(RUN, FIRST_POLL, 10)).as("no longer due at the old time").isEmpty();
        assertThat(ledger.due(RUN, later, 10)).extracting(LedgerEntry::rowNum).containsExactly(1);

        // a poll that failed transiently says nothing of the job: its last known status stays
        ledger.schedulePoll(RUN, 1, null, later.plusSeconds(5), false);
        assertThat(ledger.find(RUN, 1).orElseThrow()).satisfies(e -> {
            assertThat(e.jobStatus()).isEqualTo("in_progress");
            assertThat(e.polls()).isEqualTo(2);
            assertThat(e.downloadRounds()).isEqualTo(1);
        });

        // a poll that saw it running: when, for the lower end of the job's length
        Instant seen = later.plusMillis(250);
        Instant next = later.plusSeconds(20);
        ledger.scheduleRunningPoll(RUN, 1, "running", next, seen);
        assertThat(ledger.find(RUN, 1).orElseThrow()).satisfies(e -> {
            assertThat(e.lastRunningAt()).isEqualTo(seen.toEpochMilli());
            assertThat(e.nextPollAt()).isEqualTo(next.toEpochMilli());
            assertThat(e.jobStatus()).isEqualTo("running");
            assertThat(e.polls()).isEqualTo(3);
        });
        assertThat(ledger.due(RUN, next.minusMillis(1), 10)).isEmpty();
        assertThat(ledger.due(RUN, next, 10)).hasSize(1);
        assertThat(ledger.countInFlight(RUN)).isEqualTo(1);
    }

    @Test
    void dueRowsComeSoonestFirstWithinTheLimit() {
        submitted(1, FIRST_POLL.plusSeconds(2));
        submitted(2, FIRST_POLL);
        submitted(3, FIRST_POLL);
        submitted(4, FIRST_POLL.plusSeconds(60));

        assertThat(ledger.due(RUN, FIRST_POLL.plusSeconds(2), 10)).extracting(LedgerEntry::rowNum)
                .containsExactly(2, 3, 1);
        assertThat(ledger.due(RUN, FIRST_POLL.plusSeconds(2), 2)).extracting(LedgerEntry::rowNum)
                .containsExactly(2, 3);
        assertThat(ledger.nextPoll(RUN)).contains(FIRST_POLL);
    }

    @Test
    void aSucceededRowEndsWithItsFilesAndIsNoLongerPolled() {
        List<LedgerEntry> told = new ArrayList<>();
        ledger.onRowEnded(told::add);
        submitted(1, FIRST_POLL);
        ledger.schedulePoll(RUN, 1, "running", FIRST_POLL.plusSeconds(10), false);

        ledger.recordSucceeded(RUN, 1, "succeeded", "gen_1", "/out/fox.mp4", "/out/fox.jpg", 2);

        LedgerEntry entry = ledger.find(RUN, 1).orElseThrow();
        assertThat(entry.status()).isEqualTo(RowStatus.SUCCEEDED);
        assertThat(entry.jobStatus()).isEqualTo("succeeded");
        assertThat(entry.generationIds()).isEqualTo("gen_1");
        assertThat(entry.videoFiles()).isEqualTo("/out/fox.mp4");
        assertThat(entry.thumbnailFiles()).isEqualTo("/out/fox.jpg");
        assertThat(entry.polls()).as("the poll that found it ended counts").isEqualTo(2);
        assertThat(entry.finishedAt()).isNotNull();
        assertThat(entry.nextPollAt()).isNull();
        assertThat(ledger.countInFlight(RUN)).isZero();
        assertThat(ledger.due(RUN, FIRST_POLL.plus(Duration.ofDays(1)), 10)).isEmpty();
        assertThat(ledger.nextPoll(RUN)).isEmpty();
        assertThat(told).extracting(LedgerEntry::status).containsExactly(RowStatus.SUCCEEDED);
        RunCounts counts = ledger.counts(RUN);
        assertThat(counts.succeeded()).isEqualTo(1);
        assertThat(counts.inFlight()).isZero();
        assertThat(counts.secondsOfVideo()).isEqualTo(8);
        assertThat(counts.requests()).as("1 create + 2 polls + 2 downloads").isEqualTo(5);
    }

    @Test
    void aFailedRowEndsWithWhatTheServiceSaidAndIsNoLongerPolled() {
        List<LedgerEntry> told = new ArrayList<>();
        ledger.onRowEnded(told::add);
        submitted(1, FIRST_POLL);

        ledger.recordFailed(RUN, 1, 3, 1, new Failure(400, "invalid_request_error", "bad size",
                "Use a size the model takes.", "req-9"));

        LedgerEntry entry = ledger.find(RUN, 1).orElseThrow();
        assertThat(entry.status()).isEqualTo(RowStatus.FAILED);
        assertThat(entry.httpStatus()).isEqualTo(400);
        assertThat(entry.errorCode()).isEqualTo("invalid_request_error");
        assertThat(entry.errorMessage()).isEqualTo("bad size");
        assertThat(entry.diagnosis()).isEqualTo("Use a size the model takes.");
        assertThat(entry.requestId()).isEqualTo("req-9");
        assertThat(entry.attempts()).isEqualTo(3);
        assertThat(entry.polls()).isEqualTo(1);
        assertThat(entry.jobId()).as("the job it failed at stays named").isEqualTo("job1");
        assertThat(entry.finishedAt()).isNotNull();
        assertThat(entry.nextPollAt()).isNull();
        assertThat(ledger.countInFlight(RUN)).isZero();
        assertThat(ledger.due(RUN, FIRST_POLL.plus(Duration.ofDays(1)), 10)).isEmpty();
        assertThat(told).extracting(LedgerEntry::status).containsExactly(RowStatus.FAILED);
        assertThat(ledger.counts(RUN).failed()).isEqualTo(1);
    }

    @Test
    void aFailureKeepsTheRowsAttemptsWhenFewerAreReportedAndItsRequestIdWhenNoneIs() {
        submitting(1, "east");
        ledger.recordSubmitted(RUN, 1, "job1", null, "queued", null, 4, false, FIRST_POLL, "req-create");

        ledger.recordFailed(RUN, 1, 1, 1, Failure.described("failed", "the job failed", "Try again later."));

        LedgerEntry entry = ledger.find(RUN, 1).orElseThrow();
        assertThat(entry.attempts()).isEqualTo(4);
        assertThat(entry.requestId()).isEqualTo("req-create");
        assertThat(entry.httpStatus()).isNull();
    }

    @Test
    void aParkedCreateHoldsItsSlotAndIsDueAtItsCheckTime() {
        submitting(1, "east");
        Instant check = FIRST_POLL.plusSeconds(15);

        ledger.park(RUN, 1, 2, check);

        LedgerEntry entry = ledger.find(RUN, 1).orElseThrow();
        assertThat(entry.status()).isEqualTo(RowStatus.SUBMITTING);
        assertThat(entry.parked()).isTrue();
        assertThat(entry.jobId()).isNull();
        assertThat(entry.attempts()).isEqualTo(2);
        assertThat(entry.nextPollAt()).isEqualTo(check.toEpochMilli());
        assertThat(ledger.countInFlight(RUN)).isEqualTo(1);
        assertThat(ledger.submittedByEndpoint(RUN)).as("its job may exist there").containsExactly(Map.entry("east", 1));
        assertThat(ledger.due(RUN, check.minusMillis(1), 10)).isEmpty();
        assertThat(ledger.due(RUN, check, 10)).singleElement().satisfies(e -> {
            assertThat(e.rowNum()).isEqualTo(1);
            assertThat(e.parked()).isTrue();
        });
        assertThat(ledger.nextPoll(RUN)).contains(check);
    }

    @Test
    void aParkedCreateWhoseJobIsFoundBecomesAnAdoptedSubmittedRow() {
        submitting(1, "east");
        ledger.park(RUN, 1, 1, FIRST_POLL);

        ledger.recordSubmitted(RUN, 1, "task_found", null, "running", null, 1, true, FIRST_POLL.plusSeconds(5), null);

        LedgerEntry entry = ledger.find(RUN, 1).orElseThrow();
        assertThat(entry.status()).isEqualTo(RowStatus.SUBMITTED);
        assertThat(entry.parked()).isFalse();
        assertThat(entry.adopted()).isTrue();
        assertThat(entry.note()).contains("task_found");
        assertThat(ledger.jobIdKnown("task_found")).isTrue();
        assertThat(ledger.due(RUN, FIRST_POLL, 10)).isEmpty();
        assertThat(ledger.due(RUN, FIRST_POLL.plusSeconds(5), 10)).hasSize(1);
    }

    @Test
    void aRestartedRunFindsEachRowWhereTheEarlierProcessLeftIt() {
        submitted(1, FIRST_POLL);
        submitting(2, "west");
        ledger.park(RUN, 2, 1, FIRST_POLL.plusSeconds(1));
        submitting(3, "east"); // the process died between sending the create and recording its answer
        submitted(4, FIRST_POLL);
        ledger.recordSucceeded(RUN, 4, "succeeded", "gen_4", "/out/r4.mp4", null, 1);
        ledger.recordSkipped(RUN, 5, "five", "", null, Failure.described("invalid_row", "no prompt", "Add one."));
        ledger.recordSubmitting(RUN + 1, request(1), "other", null, "east", price());

        Ledger restarted = open();

        assertThat(restarted.find(RUN, 1).orElseThrow()).satisfies(e -> {
            assertThat(e.status()).isEqualTo(RowStatus.SUBMITTED);
            assertThat(e.jobId()).isEqualTo("job1");
        });
        assertThat(restarted.find(RUN, 2).orElseThrow().parked()).isTrue();
        assertThat(restarted.find(RUN, 3).orElseThrow()).satisfies(e -> {
            assertThat(e.status()).isEqualTo(RowStatus.SUBMITTING);
            assertThat(e.parked()).as("in flight, never due: its job is looked for, not polled").isFalse();
            assertThat(e.submittingAt()).as("when its create was sent, to look for its job").isNotNull();
            assertThat(e.endpoint()).isEqualTo("east");
        });
        assertThat(restarted.find(RUN, 4).orElseThrow().status()).isEqualTo(RowStatus.SUCCEEDED);
        assertThat(restarted.find(RUN, 5).orElseThrow().status()).isEqualTo(RowStatus.SKIPPED);
        assertThat(restarted.find(RUN, 6)).isEmpty();
        assertThat(restarted.countInFlight(RUN)).isEqualTo(3);
        assertThat(restarted.submittedByEndpoint(RUN)).as("the jobs at each endpoint, for its in-flight cap")
                .containsOnly(Map.entry("east", 1), Map.entry("west", 1));
        assertThat(restarted.due(RUN, FIRST_POLL.plusSeconds(1), 10)).extracting(LedgerEntry::rowNum)
                .containsExactly(1, 2);
        try (var rows = restarted.streamInOrder(RUN)) {
            assertThat(rows.map(LedgerEntry::rowNum)).containsExactly(1, 2, 3, 4, 5);
        }
        RunCounts counts = restarted.counts(RUN);
        assertThat(counts.succeeded()).isEqualTo(1);
        assertThat(counts.skipped()).isEqualTo(1);
        assertThat(counts.inFlight()).isEqualTo(3);
        assertThat(restarted.countInFlight(RUN + 1)).as("the other run's row is its own").isEqualTo(1);
    }

    @Test
    void aRestartSendingAnInterruptedRowAgainKeepsItsOneRowItsFileNameAndItsAttempts() {
        ledger.recordSubmitting(RUN, request(3), "fox", null, "east", price());
        ledger.park(RUN, 3, 2, FIRST_POLL);

        Ledger restarted = open();
        restarted.recordSubmitting(RUN, request(3), "ignored-stem", null, "west", price());

        LedgerEntry entry = restarted.find(RUN, 3).orElseThrow();
        assertThat(entry.status()).isEqualTo(RowStatus.SUBMITTING);
        assertThat(entry.parked()).as("sent again: no longer waiting for a check").isFalse();
        assertThat(entry.fileStem()).isEqualTo("fox");
        assertThat(entry.attempts()).isEqualTo(2);
        assertThat(entry.endpoint()).isEqualTo("west");
        assertThat(restarted.due(RUN, FIRST_POLL.plus(Duration.ofDays(1)), 10)).isEmpty();
        assertThat(restarted.countInFlight(RUN)).isEqualTo(1);
        assertThat(restarted.stemTaken(RUN, "fox")).isTrue();
        assertThat(restarted.stemTaken(RUN, "ignored-stem")).isFalse();
    }

    private void submitting(int row, String endpoint) {
        ledger.recordSubmitting(RUN, request(row), "r" + row, null, endpoint, price());
    }

    private void submitted(int row, Instant firstPoll) {
        submitting(row, "east");
        ledger.recordSubmitted(RUN, row, "job" + row, null, "queued", null, 1, false, firstPoll, null);
    }

    private static VideoRequest request(int row) {
        return new VideoRequest(row, "id" + row, "prompt " + row, null, 480, 480, 8, 1);
    }

    private static RowCost price() {
        return new RowCost(new BigDecimal("0.80"), "480x480", null, null);
    }
}
