package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerSchema;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.Provider;
import dev.sorabatch.service.Retrier;
import dev.sorabatch.service.ServiceDiagnoses;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.ServiceTraits;
import dev.sorabatch.service.VideoJob;
import dev.sorabatch.service.VideoService;

/**
 * One row's create against a scripted service: answered at once, answered after a wait for room, refused, or lost
 * on the way back, when the job it made must be adopted rather than paid for twice.
 */
class VideoSubmitterTest {

    private static final String CREATE = Operation.CREATE.label();
    private static final Duration SETTLE = Duration.ofMillis(5);
    private static final Duration SERVICE_FULL_PAUSE = Duration.ofMillis(20);

    /** The orphan finder's "is this job already some row's": an empty ledger, no job is. */
    private static Ledger ledger;

    private final VideoRequest request = new VideoRequest(4, "fox", "A fox in the snow", null, 480, 480, 5, 1);
    private final AtomicInteger attempts = new AtomicInteger();
    private final VideoSubmitter submitter = new VideoSubmitter(new OrphanFinder(ledger), new RunState(),
            SERVICE_FULL_PAUSE, Duration.ofSeconds(5), SETTLE);

    @BeforeAll
    static void repository() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:submitter-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        LedgerSchema.migrate(dataSource);
        ledger = new Ledger(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
    }

    @Test
    void aCreateAnsweredAtOnceGivesItsJobAfterOneAttempt() {
        ScriptedVideoService service = new ScriptedVideoService().answering(job("task_1"));

        VideoSubmitter.Submission submission = submitter.submit(connection(service), request,
                System.currentTimeMillis(), attempts);

        assertThat(submission.job().id()).isEqualTo("task_1");
        assertThat(submission.adopted()).isFalse();
        assertThat(attempts).hasValue(1);
        assertThat(service.creates).singleElement().satisfies(sent -> {
            assertThat(sent.prompt()).isEqualTo("A fox in the snow");
            assertThat(sent.size()).isEqualTo("480x480");
            assertThat(sent.nSeconds()).isEqualTo(5);
            assertThat(sent.nVariants()).isEqualTo(1);
            assertThat(sent.rowKey()).isEqualTo("row-4");
        });
        assertThat(service.listings).isZero();
    }

    static Stream<Arguments> lostAnswers() {
        return Stream.of(
                Arguments.of("a dropped connection", dropped()),
                Arguments.of("a gateway's 504", new ServiceException(ErrorKind.TRANSIENT, CREATE, 504, null,
                        "Gateway Timeout", null, null, "<html>504 Gateway Time-out</html>", null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lostAnswers")
    void aCreateWhoseAnswerWasLostIsAdoptedFromTheListingNotSentTwice(String what, ServiceException lost) {
        // the service made the job, then the answer never came back
        ScriptedVideoService service = new ScriptedVideoService().losing(lost, job("task_lost"));

        VideoSubmitter.Submission submission = submitter.submit(connection(service), request,
                System.currentTimeMillis(), attempts);

        assertThat(submission.job().id()).isEqualTo("task_lost");
        assertThat(submission.adopted()).isTrue();
        assertThat(service.creates).as("one create, one video paid for").hasSize(1);
        assertThat(service.listings).isEqualTo(1);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aLostCreateWhoseJobIsNotListedIsSentAgain() {
        ScriptedVideoService service = new ScriptedVideoService().failing(dropped()).answering(job("task_2"));

        VideoSubmitter.Submission submission = submitter.submit(connection(service), request,
                System.currentTimeMillis(), attempts);

        assertThat(submission.job().id()).isEqualTo("task_2");
        assertThat(submission.adopted()).isFalse();
        assertThat(service.listings).as("looked for before sending again").isEqualTo(1);
        assertThat(service.creates).hasSize(2);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aCreateThatNeverReachedTheServiceIsSentAgainWithoutLooking() {
        ServiceException refused = ServiceException.network(ErrorKind.TRANSIENT, CREATE,
                "cannot connect to 'videos.test': Connection refused", new ConnectException("Connection refused"));
        ScriptedVideoService service = new ScriptedVideoService().failing(refused).answering(job("task_3"));

        VideoSubmitter.Submission submission = submitter.submit(connection(service), request,
                System.currentTimeMillis(), attempts);

        assertThat(submission.job().id()).isEqualTo("task_3");
        assertThat(service.listings).isZero();
        assertThat(service.creates).hasSize(2);
    }

    @Test
    void whenParkingALostCreateThrowsCreateUnansweredInsteadOfWaitingForTheCheck() {
        ServiceException lost = dropped();
        ScriptedVideoService service = new ScriptedVideoService().losing(lost, job("task_lost"));

        assertThatThrownBy(() -> submitter.submit(connection(service), request, System.currentTimeMillis(), attempts,
                true)).isInstanceOf(VideoSubmitter.CreateUnanswered.class).hasCause(lost);

        assertThat(service.creates).hasSize(1);
        assertThat(service.listings).as("the collector looks later").isZero();
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aRowErrorIsNotRetried() {
        ServiceException refused = new ServiceException(ErrorKind.ROW, CREATE, 400, "invalid_request_error",
                "Invalid size 481x480", null, "req-400", null, null, null);
        ScriptedVideoService service = new ScriptedVideoService().failing(refused).answering(job("never"));

        assertThatThrownBy(() -> submitter.submit(connection(service), request, System.currentTimeMillis(), attempts))
                .isSameAs(refused);

        assertThat(service.creates).hasSize(1);
        assertThat(service.listings).isZero();
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aServiceRunningItsMaximumOfTasksIsWaitedForThenTheCreateSucceeds() {
        // more refusals than the retry policy's three attempts: waiting for room is not retrying
        ScriptedVideoService service = new ScriptedVideoService();
        for (int i = 0; i < 4; i++) {
            service.failing(full());
        }
        service.answering(job("task_room"));

        VideoSubmitter.Submission submission = submitter.submit(connection(service), request,
                System.currentTimeMillis(), attempts);

        assertThat(submission.job().id()).isEqualTo("task_room");
        assertThat(submission.adopted()).isFalse();
        assertThat(service.creates).hasSize(5);
        assertThat(service.listings).as("a refusal for lack of room made no job").isZero();
        for (int i = 1; i < service.createdAtNanos.size(); i++) {
            assertThat(service.createdAtNanos.get(i) - service.createdAtNanos.get(i - 1))
                    .as("the pause before create %d", i + 1).isGreaterThanOrEqualTo(SERVICE_FULL_PAUSE.toNanos());
        }
    }

    private static ServiceConnection connection(VideoService service) {
        // no row here has an image: nothing is fetched
        return new ServiceConnection(service, null, new Retrier(new Retrier.Policy(3, Duration.ofMillis(1),
                Duration.ofMillis(2), Duration.ofMillis(2))));
    }

    private static ServiceException dropped() {
        return ServiceException.network(ErrorKind.TRANSIENT, CREATE,
                "connection to 'videos.test' dropped: SocketException Connection reset",
                new SocketException("Connection reset"));
    }

    /** As the Sora services answer when the resource already runs its maximum of jobs. */
    private static ServiceException full() {
        return new ServiceException(ErrorKind.TRANSIENT, CREATE, 429, "too_many_requests", "Too many running tasks",
                null, null, null, null, null);
    }

    /** The job the service holds for this test's row, as its answer or its listing describes it. */
    private VideoJob job(String id) {
        return new VideoJob(id, "queued", Instant.now().getEpochSecond(), null, null, List.of(), null,
                request.prompt(), null, request.width(), request.height(), request.nSeconds(), request.nVariants(),
                null, null, false, false, null);
    }
}
