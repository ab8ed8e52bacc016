package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.ledger.LedgerSchema;
import dev.sorabatch.ledger.RowStatus;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.Retrier;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;

/**
 * A row whose create went unanswered, checked by the collector: adopted when its job is listed, its slot lent to the
 * other rows while the create settles, and sent again only once settled and with a slot of its own.
 */
class ParkedCreatesTest {

    private static final long RUN = 7;
    private static final Duration SETTLE = Duration.ofMillis(1500);
    private static final String ENDPOINT = Endpoints.DEFAULT;

    private final VideoRequest request = new VideoRequest(3, "fox", "A fox in the snow", null, 480, 480, 5, 1);
    private final RunState run = new RunState();
    private final Endpoints endpoints = new Endpoints();
    private final ScriptedVideoService service = new ScriptedVideoService();
    private Ledger ledger;
    private VideoSubmitter submitter;
    private ParkedCreates parked;

    @BeforeEach
    void setUp() throws Exception {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:parked-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        LedgerSchema.migrate(dataSource);
        ledger = new Ledger(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
        run.begin(RUN, Path.of("target"));
        ServiceConnection connection = new ServiceConnection(service, null, new Retrier(new Retrier.Policy(3,
                Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(2))));
        endpoints.use(connection, 1);
        submitter = new VideoSubmitter(new OrphanFinder(ledger), run, Duration.ofMillis(10), Duration.ofSeconds(1),
                SETTLE);
        parked = new ParkedCreates(ledger, endpoints, run, submitter,
                new PollPlanner(Duration.ofSeconds(5), Duration.ofMillis(200), true));
        // the submit step took the only slot, sent the create, and its answer was a gateway's 502
        assertThat(endpoints.tryAcquire(Duration.ZERO)).isNotNull();
        ledger.recordSubmitting(RUN, request, "fox", null, ENDPOINT,
                new dev.sorabatch.pricing.RowCost(new java.math.BigDecimal("0.80"), "480x480", null, null));
        ledger.park(RUN, request.rowNumber(), 1, submitter.firstLook(connection, RUN, request.rowNumber()));
    }

    @Test
    void aLostAnswersJobListedAtTheFirstLookIsAdoptedKeepingItsSlot() {
        service.listing(job("task_made"));

        parked.check(entry());

        assertThat(entry().status()).isEqualTo(RowStatus.SUBMITTED);
        assertThat(entry().jobId()).isEqualTo("task_made");
        assertThat(service.creates).as("nothing paid for twice").isEmpty();
        assertThat(endpoints.inFlight()).isEqualTo(1);
    }

    @Test
    void aCreateWhoseJobIsNotListedLendsItsSlotWhileItSettlesThenIsSentOnceWithASlotOfItsOwn() throws Exception {
        service.answering(job("task_sent"));

        parked.check(entry());
        assertThat(service.creates).as("not sent before the create settled").isEmpty();
        assertThat(endpoints.inFlight()).as("its slot is lent to the other rows").isZero();
        assertThat(entry().parked()).isTrue();
        assertThat(Duration.between(Instant.now(), Instant.ofEpochMilli(entry().nextPollAt()))).isPositive();

        // another row takes the slot; once settled, this one waits for a free slot rather than overfill the cap
        assertThat(endpoints.tryOccupy(ENDPOINT)).isTrue();
        Thread.sleep(SETTLE.toMillis());
        parked.check(entry());
        assertThat(service.creates).isEmpty();
        assertThat(entry().parked()).isTrue();

        endpoints.release(ENDPOINT);
        parked.check(entry());
        assertThat(service.creates).hasSize(1);
        assertThat(entry().status()).isEqualTo(RowStatus.SUBMITTED);
        assertThat(entry().jobId()).isEqualTo("task_sent");
        assertThat(endpoints.inFlight()).isEqualTo(1);
    }

    @Test
    void aJobThatShowsOnlyOnceSettledIsAdoptedAndHoldsASlotAgain() throws Exception {
        parked.check(entry());
        assertThat(endpoints.inFlight()).isZero();

        service.listing(job("task_late"));
        Thread.sleep(SETTLE.toMillis());
        parked.check(entry());

        assertThat(entry().jobId()).isEqualTo("task_late");
        assertThat(service.creates).isEmpty();
        assertThat(endpoints.inFlight()).as("its job runs at the service").isEqualTo(1);
    }

    @Test
    void aListThatFailsIsAskedAgainAfterTheRetryPauseNotAFullSettle() {
        service.failingListsOnce(new ServiceException(ErrorKind.TRANSIENT, Operation.LIST.label(), 503, null,
                "Service Unavailable", null, null, null, null, null));

        parked.check(entry());

        assertThat(service.creates).isEmpty();
        assertThat(Duration.between(Instant.now(), Instant.ofEpochMilli(entry().nextPollAt()))).isLessThan(SETTLE);
    }

    private LedgerEntry entry() {
        return ledger.find(RUN, request.rowNumber()).orElseThrow();
    }

    private VideoJob job(String id) {
        return new VideoJob(id, "queued", Instant.now().getEpochSecond(), null, null, List.of(), null,
                request.prompt(), null, request.width(), request.height(), request.nSeconds(), request.nVariants(),
                null, null, false, false, null);
    }
}
