package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.provider.fal.FalSimulator;
import dev.sorabatch.simulator.SimulatorSettings;

/** The whole job against the simulated fal queue, run as a user runs it with {@code --provider=fal}. */
@ExtendWith(OutputCaptureExtension.class)
class FalSimulatorFunctionalTests extends SimulatedServiceTest {

    private static final String KEY = "fal-key-id:fal-key-secret";

    private FalSimulator fal;

    @AfterEach
    void closeFal() {
        if (fal != null) {
            fal.close();
        }
    }

    private FalSimulator start(SimulatorSettings settings, String key) {
        fal = new FalSimulator(settings, key).start();
        return fal;
    }

    /** The fal options a user sets, pointing at the simulator, then the test's own. */
    private static String[] falArgs(FalSimulator fal, String key, String... extra) {
        List<String> args = new ArrayList<>(List.of("--provider=fal", "--sora.fal.queue-url=" + fal.queueUrl(),
                "--sora.fal.api-url=" + fal.apiUrl(), "--sora.fal.key=" + key));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    private static Map<String, Map<String, String>> byId(List<Map<String, String>> report) {
        return report.stream().collect(Collectors.toMap(r -> r.get("id"), r -> r));
    }

    @Test
    void everyKindOfRowSucceedsAndTheFilesListenerNeverSeesTheKey(CapturedOutput output) throws Exception {
        start(BatchRun.fastSimulator(), KEY);
        BatchRun run = new BatchRun(dir).csv("id,prompt,model,image_url,seconds,aspect_ratio,resolution,"
                + "negative_prompt,seed,param.generate_audio\n"
                + "veo,A quiet forest,,,8,16:9,720p,,,\n"
                + "veo-default,A quiet lake,,,,,,,,\n"
                + "veo-extras,A red kite,fal-ai/veo3.1,,4,9:16,1080p,blur,42,false\n"
                + "kling-i2v,The cat walks,fal-ai/kling-video/v2.1/standard/image-to-video,"
                + "https://images.example.com/cat.jpg,10,,,,,\n"
                + "kling-v4,A parade,fal-ai/kling-video/v4/text-to-video,,12,,,,,\n"
                + "wan,A tea house,fal-ai/wan-25-preview/text-to-video,,10,1:1,1080p,,,\n");

        int exit = run.run(falArgs(fal, KEY));

        assertThat(exit).as(output.getOut()).isZero();
        assertThat(run.report()).hasSize(6).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        try (var files = Files.list(run.output)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mp4"))).hasSize(6);
        }
        assertThat(fal.createdPrompts()).hasSize(6).doesNotHaveDuplicates();
        assertThat(fal.requestCount("download")).isEqualTo(6);
        assertThat(fal.filesSawAuthorization()).isFalse();
        assertThat(output).doesNotContain(KEY);
    }

    @Test
    void aRejectedKeyStopsTheRunAtOnceWithOneDiagnosis(CapturedOutput output) throws Exception {
        start(BatchRun.fastSimulator(), "the-real-key");
        BatchRun run = new BatchRun(dir).csv("prompt\none\ntwo\nthree\nfour\n");

        int exit = run.run(falArgs(fal, KEY));

        assertThat(exit).isEqualTo(1);
        assertThat(fal.requestCount("unauthorized")).isEqualTo(1);
        assertThat(fal.createdPrompts()).isEmpty();
        assertThat(output.getErr()).contains("HTTP 401").contains("FAL_KEY");
        assertThat(run.report()).hasSize(4).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("PENDING"));
        assertThat(output).doesNotContain(KEY);
    }

    @Test
    void moderationAndValidationRefusalsAreReportedWithTheirOwnDiagnosis() throws Exception {
        start(BatchRun.fastSimulator(), KEY);
        BatchRun run = new BatchRun(dir).csv("id,prompt,model,image_url,param.cfg_scale\n"
                + "ok,A quiet forest,,,\n"
                + "flagged,A violence scene [moderation],,,\n"
                + "invalid,The cat walks,fal-ai/kling-video/v2.1/standard/image-to-video,"
                + "https://images.example.com/cat.jpg,5\n");

        int exit = run.run(falArgs(fal, KEY));

        assertThat(exit).isEqualTo(3);
        Map<String, Map<String, String>> rows = byId(run.report());
        assertThat(rows.get("ok").get("status")).isEqualTo("SUCCEEDED");
        assertThat(rows.get("flagged").get("status")).isEqualTo("FAILED");
        assertThat(rows.get("flagged").get("diagnosis")).contains("content checker").contains("violence")
                .contains("Rephrase");
        assertThat(rows.get("invalid").get("status")).isEqualTo("FAILED");
        assertThat(rows.get("invalid").get("diagnosis")).contains("cfg_scale").contains("less than or equal to 1.");
        // each refusal was sent once and not again: the same input would be refused again
        assertThat(fal.createdPrompts()).containsExactlyInAnyOrder("A quiet forest", "A violence scene [moderation]",
                "The cat walks");
    }

    @Test
    void aSubmitWhoseAnswerWasLostIsFoundInTheRequestListAndNeverSubmittedTwice() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setLostCreateResponseRate(1.0);
        start(settings, KEY);
        BatchRun run = new BatchRun(dir).csv("prompt,seconds\nl1,4\nl2,6\nl3,8\n");

        int exit = run.run(falArgs(fal, KEY));

        assertThat(exit).isZero();
        assertThat(fal.requestCount("lost-create-response")).isEqualTo(3);
        assertThat(fal.requestCount("list")).isPositive();
        assertThat(fal.createdPrompts()).containsExactlyInAnyOrder("l1", "l2", "l3");
        assertThat(run.report()).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("SUCCEEDED");
            assertThat(r.get("diagnosis")).contains("adopted");
        });
    }

    @Test
    void aKilledRunIsResumedWithoutPayingTwice(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1500));
        start(settings, KEY);
        BatchRun run = new BatchRun(dir).csv("prompt\nk1\nk2\nk3\nk4\nk5\nk6\n");
        Process child = run.startInOwnJvm("killed-run.log", falArgs(fal, KEY));
        CoreJobFunctionalTests.await(() -> fal.createdPrompts().size() >= 3);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> paidBeforeKill = fal.createdPrompts();

        int exit = run.run(falArgs(fal, KEY));

        assertThat(paidBeforeKill).hasSizeGreaterThanOrEqualTo(3);
        assertThat(exit).isZero();
        assertThat(output).contains("was interrupted (its process is no longer running): recovering it");
        assertThat(fal.createdPrompts()).containsExactlyInAnyOrder("k1", "k2", "k3", "k4", "k5", "k6");
        assertThat(run.report()).hasSize(6).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(fal.filesSawAuthorization()).isFalse();
    }

    @Test
    void resultsAreFetchedBeforeFalStopsKeepingThem() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setResultRetention(Duration.ofMillis(1500)); // minutes at fal, scaled down as the job is
        settings.setJobDuration(Duration.ofSeconds(1));
        start(settings, KEY);
        BatchRun run = new BatchRun(dir).csv("prompt\nr1\nr2\nr3\n");

        int exit = run.run(falArgs(fal, KEY, "--sora.poll.interval=400ms"));

        assertThat(exit).isZero();
        assertThat(fal.requestCount("result-expired")).isZero();
        assertThat(fal.requestCount("result")).isEqualTo(3);
        assertThat(run.report()).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
    }

    @Test
    void doctorChecksTheSimulatedFal(CapturedOutput output) {
        int exit = dev.sorabatch.SoraBatchApplication.run(new String[] { "doctor", "--simulate", "--provider=fal",
                "--sora.dotenv.dir=" + dir });

        assertThat(exit).as(output.getOut()).isZero();
        assertThat(output.getOut()).contains("FAL_KEY accepted");
    }

    @Test
    void simulateWithProviderFalRunsAgainstTheBuiltInFal() throws Exception {
        BatchRun run = new BatchRun(dir).csv("prompt,seconds\nA quiet forest,4\nA lake,6\n");

        int exit = run.run("--simulate", "--provider=fal", "--sora.simulator.job-duration=400ms");

        assertThat(exit).isZero();
        assertThat(run.report()).hasSize(2).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
    }
}
