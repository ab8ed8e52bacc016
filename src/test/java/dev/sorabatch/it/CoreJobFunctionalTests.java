package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.cli.FakeTerminal;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.http.ApiKey;
import dev.sorabatch.provider.azure.AzureEndpoint;
import dev.sorabatch.provider.azure.AzureSoraClient;
import dev.sorabatch.service.CreateVideoRequest;
import okhttp3.OkHttpClient;
import tools.jackson.databind.json.JsonMapper;
import dev.sorabatch.cli.SoraSimulator;

/** The whole command, run as a user runs it, against the simulated Sora service. */
@ExtendWith(OutputCaptureExtension.class)
class CoreJobFunctionalTests {

    private static final String KEY = "test-key-do-not-print-7f3a9c";

    @TempDir
    Path dir;

    private SoraSimulator simulator;

    @AfterEach
    void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void simulatedRunTurnsEveryRowIntoAPlayableVideoAThumbnailAndAReportLine() throws Exception {
        // given
        BatchRun run = new BatchRun(dir).csv("""
                id,prompt,image_url,width,height,n_seconds,n_variants
                sunset,"A sunset over the sea, slowly",,854,480,5,1
                cat,A cat playing piano.,,,,,
                dog,The dog swims,https://example.com/images/dog.jpg,480,480,4,1
                boats,"Paper boats
                on a street",,720,720,3,2
                """);

        // when
        int exit = run.run("--simulate", "--sora.simulator.job-duration=600ms");

        // then
        assertThat(exit).isZero();
        List<Map<String, String>> report = run.report();
        assertThat(report).extracting(r -> r.get("row")).containsExactly("1", "2", "3", "4");
        assertThat(report).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("SUCCEEDED");
            assertThat(r.get("job_id")).startsWith("task_");
            assertThat(r.get("attempts")).isEqualTo("1");
        });
        assertThat(report.get(3).get("prompt")).isEqualTo("Paper boats\non a street");
        assertThat(report.get(3).get("video_files")).isEqualTo(run.output.resolve("boats-v1.mp4") + ";"
                + run.output.resolve("boats-v2.mp4"));
        byte[] sample = getClass().getClassLoader().getResourceAsStream("simulator/sample.mp4").readAllBytes();
        for (String name : List.of("sunset.mp4", "cat.mp4", "dog.mp4", "boats-v1.mp4", "boats-v2.mp4")) {
            assertThat(Files.readAllBytes(run.output.resolve(name))).as(name).isEqualTo(sample);
        }
        assertThat(run.output.resolve("dog.jpg")).isNotEmptyFile();
        try (var files = Files.list(run.output)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
        // Spring Batch's own record: one run, done at the first attempt, every row read and sent, one commit each
        JobRepositoryRecords.Step submit = JobRepositoryRecords.of(run).assertCompletedAtTheFirstAttempt();
        assertThat(submit.read()).isEqualTo(4);
        assertThat(submit.write()).isEqualTo(4);
        assertThat(submit.filter()).isZero();
        assertThat(submit.skip()).isZero();
        assertThat(submit.commits()).as("sora.submit-chunk=1").isEqualTo(4);
        assertThat(submit.rollbacks()).isZero();
    }

    @Test
    void rowsThatCannotSucceedAreReportedWithACauseAndTheRunGoesOn(CapturedOutput output) throws Exception {
        // given
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        String images = simulator.baseUrl() + SoraSimulator.IMAGE_PATH;
        BatchRun run = new BatchRun(dir).csv("id,prompt,image_url,width,height,n_seconds,n_variants\n"
                + "ok,A quiet forest,,,,,\n"
                + "bad-size,A beach,,1000,1000,,\n"
                + "refused,A scene [moderation],,,,,\n"
                + "broken,A crash [fail],,,,,\n"
                + "dead-link,A dog,"+ images + "/cdn/missing.jpg,,,,\n"
                + "html,A dog,"+ images + "/cdn/html-login.jpg,,,,\n"
                + "ftp,A dog,ftp://files.test/dog.jpg,,,,\n"
                + "with-image,A dog swims," + images + "/cdn/dog.jpg,,,,\n"
                + "too-long,A river,,,,21,\n");

        // when
        int exit = run.against(simulator);

        // then
        assertThat(exit).isEqualTo(3);
        Map<String, Map<String, String>> byId = byId(run.report());
        assertThat(byId.get("ok").get("status")).isEqualTo("SUCCEEDED");
        assertThat(byId.get("with-image").get("status")).isEqualTo("SUCCEEDED");
        assertThat(byId.get("bad-size")).containsEntry("status", "SKIPPED").containsEntry("job_id", "");
        assertThat(byId.get("bad-size").get("error_message")).contains("column width/height").contains("1000x1000")
                .contains("1280x720");
        assertThat(byId.get("too-long").get("error_message")).contains("column n_seconds").contains("1 to 20");
        assertThat(byId.get("ftp")).containsEntry("status", "SKIPPED");
        assertThat(byId.get("refused")).containsEntry("status", "FAILED").containsEntry("error_code", "input_moderation");
        assertThat(byId.get("refused").get("diagnosis")).contains("moderation").contains("Rephrase");
        assertThat(byId.get("broken")).containsEntry("status", "FAILED").containsEntry("error_code", "internal_error");
        assertThat(byId.get("dead-link")).containsEntry("status", "FAILED").containsEntry("http_status", "404");
        assertThat(byId.get("dead-link").get("diagnosis")).contains("image_url").contains("public");
        assertThat(byId.get("html").get("error_message")).contains("did not answer with a JPEG, PNG or WebP image");
        assertThat(byId.values()).allSatisfy(r -> {
            if (!r.get("status").equals("SUCCEEDED")) {
                assertThat(r.get("diagnosis")).isNotBlank().doesNotContainIgnoringCase("unknown error");
            }
        });
        // Rows refused before sending cost nothing; rows refused by the service were sent once.
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("A quiet forest", "A scene [moderation]",
                "A crash [fail]", "A dog swims");
        assertThat(output).doesNotContain(KEY);
        assertThat(Files.readString(run.output.resolve("report.csv"))).doesNotContain(KEY);
    }

    @Test
    void aRejectedKeyStopsTheRunAtOnceWithOneDiagnosisAndNoSecretInAnyOutput(CapturedOutput output) throws Exception {
        // given
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "the-real-key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\none\ntwo\nthree\nfour\n");

        // when
        int exit = run.run("--sora.endpoint=" + simulator.baseUrl(), "--sora.api-key=" + KEY);

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(simulator.requestCount("unauthorized")).isEqualTo(1);
        assertThat(simulator.createdPrompts()).isEmpty();
        assertThat(output.getErr()).contains("HTTP 401").contains("AZURE_API_KEY")
                .contains("run the same command again");
        assertThat(run.report()).hasSize(4).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("PENDING"));
        assertThat(output).doesNotContain(KEY);
    }

    @Test
    void aMissingDeploymentStopsTheRunNamingTheDeployment(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\none\ntwo\n");

        int exit = run.against(simulator, "--sora.deployment=sora-prod");

        assertThat(exit).isEqualTo(1);
        assertThat(output.getErr()).contains("no Sora deployment named 'sora-prod'");
        assertThat(simulator.createdPrompts()).isEmpty();
    }

    @Test
    void restartAfterAFailedRunFinishesTheRestWithoutPayingTwice() throws Exception {
        // given: the key is rotated at the service while the run is going
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1500));
        simulator = new SoraSimulator(settings, KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\nr1\nr2\nr3\nr4\nr5\nr6\n");
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> run.against(simulator));
        await(() -> simulator.createdPrompts().size() >= 2);
        simulator.revokeKey(true);

        // when
        int firstExit = first.get(60, TimeUnit.SECONDS);
        List<String> paidBeforeRestart = simulator.createdPrompts();
        simulator.revokeKey(false);
        int secondExit = run.against(simulator);

        // then
        assertThat(firstExit).isEqualTo(1);
        assertThat(paidBeforeRestart).hasSizeGreaterThanOrEqualTo(2);
        assertThat(secondExit).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("r1", "r2", "r3", "r4", "r5", "r6");
        assertThat(run.report()).extracting(r -> r.get("status")).containsOnly("SUCCEEDED").hasSize(6);
        // one run of two attempts: the one the fault ended, then the restart that read only the rows left. The
        // fault fails a step (most often collect, its polls refused) and the other is stopped; the split rethrows
        // that stop, so the job is recorded STOPPED, unless the other step met the fault first and FAILED too.
        List<JobRepositoryRecords.Execution> attempts = JobRepositoryRecords.of(run).assertResumedOnce(6);
        assertThat(attempts.get(0).status()).isIn("STOPPED", "FAILED");
        assertThat(attempts.get(0).steps()).extracting(JobRepositoryRecords.Step::status).contains("FAILED");
        assertThat(attempts.get(1).step("submit").read()).as("rows left, two were sent").isLessThanOrEqualTo(4);
    }

    @Test
    void transientFaultsAreRetriedUntilEveryRowSucceeds() throws Exception {
        // given: throttling, 5xx, dropped connections, cut downloads and lost create answers, all at once
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setThrottleRate(0.1);
        settings.setServerErrorRate(0.1);
        settings.setConnectionResetRate(0.05);
        settings.setTruncatedDownloadRate(0.2);
        settings.setLostCreateResponseRate(0.2);
        settings.setSeed(7);
        simulator = new SoraSimulator(settings, KEY).start();
        StringBuilder csv = new StringBuilder("prompt\n");
        for (int i = 1; i <= 10; i++) {
            csv.append("clip ").append(i).append('\n');
        }
        BatchRun run = new BatchRun(dir).csv(csv.toString());

        // when
        int exit = run.against(simulator, "--sora.retry.max-attempts=10");

        // then
        assertThat(exit).isZero();
        assertThat(run.report()).hasSize(10).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(simulator.createdPrompts()).doesNotHaveDuplicates().hasSize(10);
        long sample = getClass().getClassLoader().getResourceAsStream("simulator/sample.mp4").readAllBytes().length;
        for (int i = 1; i <= 10; i++) {
            assertThat(Files.size(run.output.resolve(String.format("row-%04d.mp4", i)))).isEqualTo(sample);
        }
        assertThat(simulator.requestCount("truncated") + simulator.requestCount("server-error")
                + simulator.requestCount("throttled") + simulator.requestCount("lost-create-response")).isPositive();
    }

    @Test
    void anUnansweredCreateDoesNotStallTheOtherRowsWhileItsOrphanCheckWaits() throws Exception {
        // every create's answer is lost; each row must wait 3 s before its job is looked for, longer than a job runs
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(java.time.Duration.ofSeconds(2));
        settings.setLostCreateResponseRate(1.0);
        settings.setMaxRunningJobs(4);
        simulator = new SoraSimulator(settings, KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\np1\np2\np3\np4\n");

        int exit = run.against(simulator, "--sora.max-in-flight=4", "--sora.retry.orphan-settle=3s");

        // the creates went out without waiting for each other's orphan check, so their jobs ran at the same time
        // (one after another, each create would wait 3 s for the previous row's check and no two 2 s jobs overlap)
        assertThat(exit).isZero();
        assertThat(simulator.maxConcurrentJobs()).isGreaterThanOrEqualTo(2);
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("p1", "p2", "p3", "p4");
        assertThat(simulator.maxConcurrentJobs()).isLessThanOrEqualTo(4);
        assertThat(run.report()).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("SUCCEEDED");
            assertThat(r.get("diagnosis")).contains("adopted");
        });
    }

    @Test
    void aCreateWhoseAnswerWasLostIsAdoptedNotSubmittedAgain() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setLostCreateResponseRate(1.0);
        simulator = new SoraSimulator(settings, KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\nfirst\nsecond\nfirst\n");

        int exit = run.against(simulator);

        assertThat(exit).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("first", "second", "first");
        assertThat(run.report()).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("SUCCEEDED");
            assertThat(r.get("diagnosis")).contains("adopted");
        });
        assertThat(run.report()).extracting(r -> r.get("job_id")).doesNotHaveDuplicates();
    }

    @Test
    void rowsRunAtTheSameTimeUpToTheInFlightCap() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setMaxRunningJobs(10);
        settings.setJobDuration(Duration.ofMillis(1000));
        simulator = new SoraSimulator(settings, KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\nb\nc\nd\ne\nf\ng\n");

        int exit = run.against(simulator, "--sora.max-in-flight=3");

        assertThat(exit).isZero();
        assertThat(simulator.maxConcurrentJobs()).isEqualTo(3);
    }

    @Test
    void theCapHoldsAndEveryFileIsDownloadedOnceWhileDownloadsRunBesidePolling() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setMaxRunningJobs(100);
        settings.setJobDuration(Duration.ofMillis(300));
        simulator = new SoraSimulator(settings, KEY).start();
        StringBuilder csv = new StringBuilder("prompt\n");
        for (int i = 1; i <= 30; i++) {
            csv.append("clip ").append(i).append('\n');
        }
        BatchRun run = new BatchRun(dir).csv(csv.toString());

        int exit = run.against(simulator, "--sora.max-in-flight=3", "--sora.submit-chunk=5",
                "--sora.poll.interval=50ms", "--sora.poll.tick=10ms");

        assertThat(exit).isZero();
        assertThat(simulator.maxConcurrentJobs()).isLessThanOrEqualTo(3);
        // a video and a thumbnail per row, each fetched once
        assertThat(simulator.requestCount("download")).isEqualTo(60);
        assertThat(simulator.createdPrompts()).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void theRunStaysInsideTheRequestQuotaSoItNeverThrottlesItself() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setRequestsPerMinute(240);
        simulator = new SoraSimulator(settings, KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\nb\nc\nd\ne\nf\n");

        int exit = run.against(simulator, "--sora.requests-per-minute=240", "--sora.poll.interval=100ms");

        assertThat(exit).isZero();
        assertThat(simulator.requestCount("throttled")).isZero();
    }

    @Test
    void theServiceTwoJobCapIsRespectedByDefault() throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\nb\nc\nd\ne\n");

        int exit = run.against(simulator);

        assertThat(exit).isZero();
        assertThat(simulator.maxConcurrentJobs()).isEqualTo(2);
        assertThat(simulator.requestCount("too-many-running")).isZero();
    }

    @Test
    void runningAgainAfterACompletedRunStartsANewRun(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\nb\n");

        // --again: without it the new run reuses the videos (ReuseByContentFunctionalTests)
        assertThat(run.against(simulator)).isZero();
        assertThat(run.against(simulator, "--again")).isZero();

        assertThat(simulator.createdPrompts()).containsExactly("a", "b", "a", "b");
        assertThat(output).contains("Starting run #2");
        // two runs (job instances) of one attempt each; the second sent both rows, reusing none
        JobRepositoryRecords records = JobRepositoryRecords.of(run);
        assertThat(records.instances()).hasSize(2);
        List<JobRepositoryRecords.Execution> executions = records.executions();
        assertThat(executions).extracting(JobRepositoryRecords.Execution::instanceId).doesNotHaveDuplicates();
        executions.forEach(JobRepositoryRecords::assertCompleted);
        assertThat(executions.get(1).step("submit")).extracting(s -> s.read(), s -> s.write(), s -> s.filter())
                .containsExactly(2L, 2L, 0L);
    }

    @Test
    void aSecondLaunchOfAnInputThatIsRunningIsRefused(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(3));
        simulator = new SoraSimulator(settings, KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\nb\n");
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> run.against(simulator));
        await(() -> simulator.createdPrompts().size() >= 1);

        int second = run.against(simulator);

        assertThat(second).isEqualTo(2);
        assertThat(output.getErr()).contains("another run of this input is active");
        assertThat(first.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void configurationErrorsExitWith2AndSubmitNothing(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv("text\nhello\n");

        assertThat(run.run("--simulate")).isEqualTo(2);
        assertThat(output.getErr()).contains("no 'prompt' column");

        run.csv("prompt\nhello\n");
        assertThat(run.run("--sora.endpoint=", "--sora.api-key=")).isEqualTo(2);
        assertThat(output.getErr()).contains("AZURE_SORA_ENDPOINT is not set");

        assertThat(run.run("--sora.endpoint=https://res.openai.azure.com", "--sora.api-key=")).isEqualTo(2);
        assertThat(output.getErr()).contains("AZURE_API_KEY is not set");

        assertThat(run.run("--simulte")).isEqualTo(2);
        assertThat(output.getErr()).contains("unknown option --simulte");

        String repository = "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("repo2/jobs");
        assertThat(dev.sorabatch.SoraBatchApplication.run("--simulate", repository)).isEqualTo(2);
        assertThat(output.getErr()).contains("--input is required");

        assertThat(dev.sorabatch.SoraBatchApplication.run("--input=" + dir.resolve("absent.csv"), "--simulate",
                repository)).isEqualTo(2);
        assertThat(output.getErr()).contains("input file not found");
    }

    @Test
    void dotEnvFilesInTheWorkingDirectorySupplyTheEndpointAndKey() throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        Files.writeString(dir.resolve(".env"), "AZURE_SORA_ENDPOINT=https://wrong.invalid\nAZURE_API_KEY=wrong\n");
        Files.writeString(dir.resolve(".env.local"), "# local overrides\nAZURE_SORA_ENDPOINT=" + simulator.baseUrl()
                + "/openai/v1/video/generations/jobs?api-version=preview\nAZURE_API_KEY=\"" + KEY + "\"\n");
        BatchRun run = new BatchRun(dir).csv("prompt\nfrom dotenv\n");

        assertThat(run.run()).isZero();
        assertThat(simulator.createdPrompts()).containsExactly("from dotenv");
    }

    @Test
    void aJobStuckPastTheTimeOutIsDeletedAtTheServiceAndTheRunGoesOn() throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\nnever ends [stuck]\nfine\n");

        int exit = run.against(simulator, "--sora.job-timeout=2s");

        assertThat(exit).isEqualTo(3);
        List<Map<String, String>> report = run.report();
        assertThat(report.get(0)).containsEntry("status", "FAILED").containsEntry("error_code", "timeout");
        assertThat(report.get(0).get("diagnosis")).startsWith("Timed out after 2 s, job id " + report.get(0).get("job_id"));
        assertThat(report.get(1)).containsEntry("status", "SUCCEEDED");
        assertThat(simulator.requestCount("delete")).isEqualTo(1);
    }

    @Test
    void jobsRunningForAnotherClientAreWaitedForNotFailed() throws Exception {
        // given: the resource is already running its two jobs for someone else
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(2500));
        simulator = new SoraSimulator(settings, KEY).start();
        AzureSoraClient otherClient = new AzureSoraClient(AzureEndpoint.parse(simulator.baseUrl()), new ApiKey(KEY),
                "sora", new OkHttpClient(), JsonMapper.builder().build());
        otherClient.create(new CreateVideoRequest("other 1", 480, 480, 5, 1, null));
        otherClient.create(new CreateVideoRequest("other 2", 480, 480, 5, 1, null));
        BatchRun run = new BatchRun(dir).csv("prompt\nmine\n");

        // when
        int exit = run.against(simulator, "--sora.retry.max-attempts=2");

        // then
        assertThat(exit).isZero();
        assertThat(simulator.requestCount("too-many-running")).isPositive();
        assertThat(run.report().get(0)).containsEntry("status", "SUCCEEDED").containsEntry("attempts", "1");
    }

    @Test
    void anEndpointThatDoesNotResolveStopsTheRunWithoutRetryingEveryRow(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv("prompt\none\ntwo\n");

        int exit = run.run("--sora.endpoint=https://no-such-resource.invalid", "--sora.api-key=" + KEY);

        assertThat(exit).isEqualTo(1);
        assertThat(output.getErr()).contains("does not resolve").contains("no-such-resource.invalid");
        assertThat(output).doesNotContain(KEY);
    }

    @Test
    void aDryRunChecksEveryRowAndEstimatesTheCostWithoutAnyCall(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv("prompt,width,height,n_seconds,n_variants\n"
                + "fine,1280,720,10,2\n"
                + "too wide,1920,1080,5,2\n"
                + "also fine,,,,\n"
                + "bad seconds,,,30,\n"
                + "bad seconds again,,,0,\n");

        int exit = run.run("--dry-run", "--sora.endpoint=", "--sora.api-key=",
                "--sora.pricing.per-second.1280x720=0.10");

        assertThat(exit).isEqualTo(3);
        assertThat(output.getOut())
                .contains("row 2, column n_variants: '2' variants at 1920x1080 is not allowed")
                .contains("row 4, column n_seconds: '30' is out of range")
                .contains("5 rows, 2 would be sent, 3 would be skipped · 3 videos · 25 s of video")
                .contains("rows to fix, by column: n_seconds 2, n_variants 1")
                .contains("1280x720: 20 s of video × 0.10 = 2.00")
                .contains("no price for 480x480")
                .contains("nothing was sent");
        assertThat(run.output.resolve("report.csv")).doesNotExist();
    }

    @Test
    void doctorSaysWhetherARunWouldStartAndWhyNot(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir);
        String repository = "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("repo3/jobs");

        int healthy = dev.sorabatch.SoraBatchApplication.run("doctor", repository, "--sora.dotenv.dir=" + dir,
                "--sora.endpoint=" + simulator.baseUrl(), "--sora.api-key=" + KEY);
        int wrongKey = dev.sorabatch.SoraBatchApplication.run("doctor", repository, "--sora.dotenv.dir=" + dir,
                "--sora.endpoint=" + simulator.baseUrl(), "--sora.api-key=not-the-key");

        assertThat(healthy).isZero();
        assertThat(wrongKey).isEqualTo(2);
        assertThat(output.getOut()).contains("OK    AZURE_API_KEY is set").contains("a run would start")
                .contains("FAIL  listing jobs failed: The service refused the API key (HTTP 401");
        assertThat(output).doesNotContain(KEY).doesNotContain("not-the-key");
        assertThat(simulator.createdPrompts()).isEmpty();
        assertThat(run.dir).isDirectory();
    }

    @Test
    void rowsThatWouldExceedTheBudgetAreNotSent(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt,n_seconds\na,5\nb,5\nc,5\nd,2\n");

        int exit = run.against(simulator, "--max-video-seconds=12");

        assertThat(exit).isEqualTo(3);
        assertThat(simulator.createdPrompts()).containsExactly("a", "b");
        Map<String, String> c = run.report().get(2);
        assertThat(c).containsEntry("status", "SKIPPED").containsEntry("error_code", "budget_reached");
        assertThat(c.get("error_message")).contains("--max-video-seconds=12").contains("10 s already submitted");
        assertThat(run.report().get(3)).containsEntry("status", "SKIPPED").containsEntry("error_code", "budget_reached");
        assertThat(run.report().get(3).get("error_message")).contains("budget reached at row 3");
        assertThat(output.getOut()).contains("spent 10 s of video");
    }

    @Test
    void theSubmitStepsCountsInTheJobRepositoryAgreeWithTheReport() throws Exception {
        // given: a row sent, an invalid row, a row sent, a row past the budget
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt,n_seconds\na,5\n,5\nb,5\nc,5\n");

        // when
        int exit = run.against(simulator, "--max-video-seconds=10");

        // then: Spring Batch's own record of the submit step says what the report says
        assertThat(exit).isEqualTo(3);
        assertThat(run.report()).extracting(r -> r.get("status"))
                .containsExactly("SUCCEEDED", "SKIPPED", "SUCCEEDED", "SKIPPED");
        // an exit of 3 (rows that did not succeed) is still a run Spring Batch completed
        JobRepositoryRecords.Step submit = JobRepositoryRecords.of(run).assertCompletedAtTheFirstAttempt();
        assertThat(submit.read()).isEqualTo(4);
        assertThat(submit.write()).as("rows sent").isEqualTo(2);
        assertThat(submit.processSkip()).as("the invalid row and the one past the budget").isEqualTo(2);
        assertThat(submit.skip()).isEqualTo(2);
        assertThat(submit.filter()).isZero();
    }

    @Test
    void aLongRunLogsItsProgress(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\n\nb\nc\nd\ne\n");

        int exit = run.against(simulator, "--sora.progress-every=300ms");

        assertThat(exit).isZero();
        assertThat(output.getOut()).containsPattern("progress: [0-5]/5 rows done \\(\\d+ succeeded, 0 failed, 0 "
                + "skipped\\), [0-2] in flight");
    }

    @Test
    void aTerminalShowsAProgressBarAndOnlyTheWarningsAboveIt(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\nb\nc [moderation]\nd\n");

        int exit = run.against(simulator, "--sora.progress=bar");

        assertThat(exit).isEqualTo(3);
        // the final state of the bar, drawn on standard error (its form follows the width of the terminal the
        // tests run in, if any); the summary comes after it on standard output
        assertThat(output.getErr()).contains("4/4 rows · 0 in flight · 1 failed").contains("elapsed 0:00:");
        assertThat(output.getOut()).contains("row 3: FAILED").doesNotContain("submitted as job")
                .contains("3 succeeded, 1 failed");
        // as a terminal shows both streams: the warning on a line of its own, one bar left (the final one)
        List<String> screen = FakeTerminal.render(output.getAll(), 0);
        assertThat(screen).filteredOn(line -> line.contains("row 3: FAILED")).singleElement().asString()
                .matches("\\d\\d:\\d\\d:\\d\\d WARN  row 3: FAILED.*");
        assertThat(screen).filteredOn(line -> line.contains("4/4 rows") || line.contains(" in flight")).hasSize(1);
    }

    @Test
    void withLangFrTheDiagnosesTheSummaryAndTheReportsSpeakFrench(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt,width,height\nun renard\nune star [moderation]\nmauvaise taille,1000,1000\n");

        int exit;
        try {
            exit = run.against(simulator, "--lang=fr");
        } finally {
            dev.sorabatch.i18n.Messages.use("en");
        }

        assertThat(exit).isEqualTo(3);
        List<Map<String, String>> report = run.report();
        // the report's contract (columns, statuses, codes) does not change with the language; the words do
        assertThat(report.get(1)).containsEntry("status", "FAILED").containsEntry("error_code", "input_moderation");
        assertThat(report.get(1).get("diagnosis")).startsWith("Le prompt ou l’image a été refusé").contains("Reformulez");
        assertThat(report.get(2)).containsEntry("status", "SKIPPED");
        assertThat(report.get(2).get("diagnosis")).contains("ligne 3, colonne width/height")
                .contains("n’est pas prise en charge");
        assertThat(output.getOut()).contains("sora-batch : 1 réussie, 1 en échec, 1 ignorée")
                .contains("rapport : " + run.output.resolve("report.csv"));
        String html = Files.readString(run.output.resolve("report.html"));
        assertThat(html).contains("<html lang=\"fr\">").contains("<h1>rapport sora-batch</h1>")
                .contains("<dt>en échec</dt>").contains("Reformulez");
    }

    @Test
    void anUnknownLanguageIsAUsageError(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv("prompt\na\n");

        assertThat(run.run("--simulate", "--lang=de")).isEqualTo(2);
        assertThat(output.getErr()).contains("--lang: language 'de' is not available; use one of en, fr");
    }

    static void await(java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    private static Map<String, Map<String, String>> byId(List<Map<String, String>> report) {
        Map<String, Map<String, String>> byId = new java.util.LinkedHashMap<>();
        report.forEach(r -> byId.put(r.get("id"), r));
        return byId;
    }
}
