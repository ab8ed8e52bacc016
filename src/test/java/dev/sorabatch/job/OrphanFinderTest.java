package dev.sorabatch.job;

import dev.sorabatch.ledger.Ledger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.Provider;
import dev.sorabatch.service.VideoService;
import dev.sorabatch.service.VideoJob;

class OrphanFinderTest {

    private static final long SENT = 1_800_000_000_000L;
    private static final long GAVE_UP = SENT + 15_000;
    private static final CreateVideoRequest ROW = new CreateVideoRequest("a lake at dawn", 480, 480, 5, 1, null);

    private final List<VideoJob> listed = new ArrayList<>();
    private Ledger ledger;
    private OrphanFinder finder;

    @BeforeEach
    void repository() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:orphans-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        dev.sorabatch.ledger.LedgerSchema.migrate(dataSource);
        ledger = new Ledger(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
        finder = new OrphanFinder(ledger);
    }

    @Test
    void theOneJobThatMatchesInsideTheCallsWindowIsAdopted() {
        listed.add(job("task_other_prompt", "another prompt", "sora", SENT / 1000));
        listed.add(job("task_ours", ROW.prompt(), "sora", SENT / 1000 + 1));

        assertThat(finder.find(client(), ROW, SENT, GAVE_UP)).map(VideoJob::id).hasValue("task_ours");
    }

    @Test
    void twoMatchingJobsAreBothLeftAloneAndNamed() {
        listed.add(job("task_b", ROW.prompt(), "sora", SENT / 1000 + 2));
        listed.add(job("task_a", ROW.prompt(), "sora", SENT / 1000 + 1));

        assertThatThrownBy(() -> finder.find(client(), ROW, SENT, GAVE_UP))
                .isInstanceOfSatisfying(OrphanFinder.AmbiguousOrphanException.class, e -> {
                    assertThat(e.jobIds()).containsExactly("task_b", "task_a");
                    assertThat(e.failure().errorCode()).isEqualTo("ambiguous_orphan");
                    assertThat(e.failure().diagnosis()).contains("task_a").contains("task_b")
                            .contains("none was adopted");
                });
    }

    @Test
    void aJobAlreadyInTheLedgerOfAnotherInputIsNotAdopted() {
        long otherRun = 99;
        ledger.recordSubmitting(otherRun, new VideoRequest(1, null, ROW.prompt(), null, 480, 480, 5, 1), "x", null, "default",
                new dev.sorabatch.pricing.RowCost(null, "480x480", null, null));
        ledger.recordSubmitted(otherRun, 1, "task_theirs", null, "queued", SENT / 1000, 1, false, Instant.now(), null);
        listed.add(job("task_theirs", ROW.prompt(), "sora", SENT / 1000 + 1));

        assertThat(finder.find(client(), ROW, SENT, GAVE_UP)).isEmpty();
    }

    @Test
    void aJobCreatedAfterTheCallsWindowIsNotAdopted() {
        listed.add(job("task_later", ROW.prompt(), "sora", (GAVE_UP + OrphanFinder.SKEW_MILLIS) / 1000 + 5));

        assertThat(finder.find(client(), ROW, SENT, GAVE_UP)).isEmpty();
    }

    @Test
    void aJobCreatedBeforeTheSendIsNotAdopted() {
        listed.add(job("task_earlier", ROW.prompt(), "sora", (SENT - OrphanFinder.SKEW_MILLIS) / 1000 - 5));

        assertThat(finder.find(client(), ROW, SENT, GAVE_UP)).isEmpty();
    }

    @Test
    void aJobOfAnotherModelIsNotAdopted() {
        listed.add(job("task_pro", ROW.prompt(), "sora-2-pro", SENT / 1000 + 1));

        assertThat(finder.find(client(), ROW, SENT, GAVE_UP)).isEmpty();
    }

    @Test
    void aListedJobWhoseInputIsNotShownMayBeTheRowsSoTheRowIsNeitherAdoptedNorSentAgain() {
        listed.add(job("task_other_prompt", "another prompt", "sora", SENT / 1000));
        listed.add(new VideoJob("req_silent", "IN_QUEUE", SENT / 1000 + 1, null, null, List.of(), null, null, "sora",
                null, null, null, 1, null, null, false, false, null, null, null, null));

        assertThatThrownBy(() -> finder.find(silentInputs(), ROW, SENT, GAVE_UP))
                .isInstanceOfSatisfying(OrphanFinder.UnverifiableOrphanException.class, e -> {
                    assertThat(e.jobIds()).containsExactly("req_silent");
                    assertThat(e.failure().errorCode()).isEqualTo("unverifiable_orphan");
                    assertThat(e.failure().diagnosis()).contains("req_silent").contains("billed")
                            .contains("not sent again");
                });
    }

    @Test
    void aMatchingJobIsAdoptedEvenBesideOneWhoseInputIsNotShown() {
        listed.add(job("task_ours", ROW.prompt(), "sora", SENT / 1000 + 1));
        listed.add(new VideoJob("req_silent", "IN_QUEUE", SENT / 1000 + 1, null, null, List.of(), null, null, "sora",
                null, null, null, 1, null, null, false, false, null, null, null, null));

        assertThat(finder.find(silentInputs(), ROW, SENT, GAVE_UP)).map(VideoJob::id).hasValue("task_ours");
    }

    @Test
    void aServiceThatCannotListFailsTheRowWithoutListingOrResending() {
        VideoService plain = client();
        java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();
        VideoService unlistable = (VideoService) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] { VideoService.class }, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "traits":
                            return new dev.sorabatch.service.ServiceTraits(false, false, java.util.Set.of(), null,
                                    null, false);
                        case "provider":
                            return dev.sorabatch.service.Provider.VERTEX_VEO;
                        case "list", "recentJobsLike":
                            listings.incrementAndGet();
                            throw new UnsupportedOperationException("cannot list");
                        default:
                            return method.invoke(plain, args);
                    }
                });

        assertThatThrownBy(() -> finder.find(unlistable, ROW, SENT, GAVE_UP))
                .isInstanceOfSatisfying(OrphanFinder.UnlistedOrphanException.class, e -> {
                    assertThat(e.failure().errorCode()).isEqualTo("unanswered_create");
                    assertThat(e.failure().diagnosis()).contains("vertex-veo").contains("billed")
                            .contains("not sent again").contains("--resend-unanswered");
                });
        assertThat(listings).as("nothing lists a service that cannot list").hasValue(0);
    }

    @Test
    void aServiceThatCannotListButFindsWhatALostCreateMadeAdoptsTheOneItFindsAndNeverTwo() {
        List<VideoJob> outputs = new ArrayList<>();
        VideoService unlistable = (VideoService) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] { VideoService.class }, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "traits":
                            return new dev.sorabatch.service.ServiceTraits(false, false, java.util.Set.of(), null,
                                    null, false);
                        case "provider":
                            return Provider.VERTEX_VEO;
                        case "outputsOfLostCreate":
                            return java.util.Optional.of(List.copyOf(outputs));
                        case "isJobFor":
                            return true;
                        case "list", "recentJobsLike":
                            throw new UnsupportedOperationException("cannot list");
                        default:
                            return method.invoke(client(), args);
                    }
                });

        assertThatThrownBy(() -> finder.find(unlistable, ROW, SENT, GAVE_UP))
                .as("nothing found (yet): cannot tell").isInstanceOf(OrphanFinder.UnlistedOrphanException.class);
        outputs.add(job("gs://b/veo/row-1-x/111/", null, null, SENT / 1000 + 60));
        assertThat(finder.find(unlistable, ROW, SENT, GAVE_UP)).map(VideoJob::id).hasValue("gs://b/veo/row-1-x/111/");
        outputs.add(job("gs://b/veo/row-1-x/222/", null, null, SENT / 1000 + 70));
        assertThatThrownBy(() -> finder.find(unlistable, ROW, SENT, GAVE_UP))
                .isExactlyInstanceOf(OrphanFinder.AmbiguousOrphanException.class);
    }

    /** A service whose listing shows the input of jobs that echo a prompt only. */
    private VideoService silentInputs() {
        VideoService plain = client();
        return (VideoService) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { VideoService.class }, (proxy, method, args) -> {
                    if (method.getName().equals("echoesInput")) {
                        return ((VideoJob) args[0]).prompt() != null;
                    }
                    if (method.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    return method.invoke(plain, args);
                });
    }

    private static VideoJob job(String id, String prompt, String model, long createdAt) {
        return new VideoJob(id, "queued", createdAt, null, null, List.of(), null, prompt, model, 480, 480, 5, 1, null,
                null, false, false, null);
    }

    private VideoService client() {
        return new VideoService() {
            @Override
            public Provider provider() {
                return Provider.AZURE_SORA;
            }

            @Override
            public dev.sorabatch.service.ServiceTraits traits() {
                return new dev.sorabatch.service.ServiceTraits(true, true, java.util.Set.of(), null, null, true);
            }

            @Override
            public dev.sorabatch.service.ServiceDiagnoses diagnoses() {
                throw new UnsupportedOperationException();
            }

            @Override
            public String deployment() {
                return "sora";
            }

            @Override
            public String describe() {
                return "fake";
            }

            @Override
            public VideoJob create(CreateVideoRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public VideoJob get(String jobId, String handle) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<VideoJob> list(int limit) {
                return listed;
            }

            @Override
            public void cancel(String jobId, String handle) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long download(String generationId, ContentKind kind, Path target) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String extension(ContentKind kind) {
                return "mp4";
            }
        };
    }
}
