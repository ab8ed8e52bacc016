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

import dev.sorabatch.provider.gemini.GeminiSimulator;
import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * The whole job against the simulated Gemini API, run as a user runs it with {@code --provider=gemini-veo}: the API
 * on one listener, the storage host its downloads redirect to on another (which must never see the key).
 */
@ExtendWith(OutputCaptureExtension.class)
class GeminiSimulatorFunctionalTests extends SimulatedServiceTest {

    private static final String KEY = "AIzaSy-functional-test-key-0000000000";

    private GeminiSimulator gemini;

    @AfterEach
    void closeGemini() {
        if (gemini != null) {
            gemini.close();
        }
    }

    private GeminiSimulator start(SimulatorSettings settings, String key) {
        gemini = new GeminiSimulator(settings, key).start();
        return gemini;
    }

    /** The Gemini options a user sets (the key as GEMINI_API_KEY would give it), pointing at the simulator. */
    private static String[] geminiArgs(GeminiSimulator gemini, String key, String... extra) {
        List<String> args = new ArrayList<>(List.of("--provider=gemini-veo", "--sora.gemini.base-url=" + gemini.apiUrl(),
                "--sora.gemini.api-key=" + key));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    private static Map<String, Map<String, String>> byId(List<Map<String, String>> report) {
        return report.stream().collect(Collectors.toMap(r -> r.get("id"), r -> r));
    }

    @Test
    void everyKindOfRowSucceedsImagesGoInlineAndTheStorageHostNeverSeesTheKey(CapturedOutput output) throws Exception {
        start(BatchRun.fastSimulator(), KEY);
        String image = gemini.baseUrl() + "/_images/images.example.com/lantern.jpg";
        BatchRun run = new BatchRun(dir).csv("id,prompt,seconds,aspect_ratio,resolution,n_variants,negative_prompt,"
                + "model,image_url,param.enhance_prompt\n"
                + "plain,A quiet forest,,,,,,,,\n"
                + "shaped,A night market,6,9:16,1080p,,,,,\n"
                + "two,A red kite,8,16:9,720p,2,blur,,,true\n"
                + "standard,A glacier,4,,4k,,,veo-3.1-generate-preview,,\n"
                + "i2v,The paper lantern drifts up,8,,,,,,"  + image + ",\n");

        int exit = run.run(geminiArgs(gemini, KEY));

        assertThat(exit).as(output.getOut()).isZero();
        Map<String, Map<String, String>> rows = byId(run.report());
        assertThat(rows.values()).hasSize(5).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(rows.get("two").get("video_files").split(";")).hasSize(2);
        assertThat(rows.get("plain").get("cost")).isEqualTo("1.20 USD"); // veo-3.1-fast: 8 s (its default) x 0.15
        assertThat(rows.get("standard").get("cost")).isEqualTo("2.40 USD"); // veo-3.1 at 4k: 4 s x 0.60
        try (var files = Files.list(run.output)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mp4"))).hasSize(6);
        }
        assertThat(gemini.createdPrompts()).hasSize(5).doesNotHaveDuplicates();
        SimulatedJob i2v = gemini.jobs().of("gemini").stream().filter(j -> j.prompt.startsWith("The paper"))
                .findFirst().orElseThrow();
        assertThat(i2v.imageFileName).as("the image was sent inline").isNotNull();
        assertThat(gemini.requestCount("download-redirect")).isEqualTo(6);
        assertThat(gemini.requestCount("download")).isEqualTo(6);
        assertThat(gemini.storageSawKey()).isFalse();
        assertThat(output).doesNotContain(KEY);
    }

    @Test
    void aBadKeyStopsTheRunAtOnceWithADiagnosisNamingGeminiApiKey(CapturedOutput output) throws Exception {
        start(BatchRun.fastSimulator(), "AIzaSy-the-real-key-000000000000000000");
        BatchRun run = new BatchRun(dir).csv("prompt\none\ntwo\nthree\nfour\n");

        int exit = run.run(geminiArgs(gemini, KEY));

        assertThat(exit).isEqualTo(1);
        assertThat(gemini.requestCount("unauthorized")).isEqualTo(1);
        assertThat(gemini.createdPrompts()).isEmpty();
        assertThat(output.getErr()).contains("API_KEY_INVALID").contains("GEMINI_API_KEY");
        assertThat(run.report()).hasSize(4).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("PENDING"));
        assertThat(output).doesNotContain(KEY);
    }

    @Test
    void filteredAndFailedOperationsAreReportedWithGooglesReasonAndNotSentAgain() throws Exception {
        start(BatchRun.fastSimulator(), KEY);
        BatchRun run = new BatchRun(dir).csv("id,prompt\n"
                + "ok,A quiet forest\n"
                + "filtered,A scene [moderation]\n"
                + "broken,A storm [fail]\n");

        int exit = run.run(geminiArgs(gemini, KEY));

        assertThat(exit).isEqualTo(3);
        Map<String, Map<String, String>> rows = byId(run.report());
        assertThat(rows.get("ok").get("status")).isEqualTo("SUCCEEDED");
        assertThat(rows.get("filtered").get("status")).isEqualTo("FAILED");
        assertThat(rows.get("filtered").get("diagnosis")).contains("safety filters")
                .contains("violate Veo's usage guidelines").contains("Support codes: 58061214");
        assertThat(rows.get("filtered").get("cost")).isEqualTo("0.00 USD");
        assertThat(rows.get("broken").get("status")).isEqualTo("FAILED");
        assertThat(rows.get("broken").get("diagnosis")).contains("error 13 INTERNAL");
        assertThat(gemini.createdPrompts()).containsExactlyInAnyOrder("A quiet forest", "A scene [moderation]",
                "A storm [fail]");
    }

    @Test
    void aRetiredModelStopsTheRunPointingToVertexAiAndARowsOwnRetiredModelFailsThatRowOnly(CapturedOutput output)
            throws Exception {
        start(BatchRun.fastSimulator(), KEY);
        BatchRun configured = new BatchRun(dir).csv("prompt\none\ntwo\n");

        int stopped = configured.run(geminiArgs(gemini, KEY, "--sora.model=veo-3.0-generate-001"));

        assertThat(stopped).isEqualTo(1);
        assertThat(gemini.requestCount("retired")).isEqualTo(1);
        assertThat(output.getErr()).contains("no longer available on the Gemini API").contains("--provider=vertex-veo");

        BatchRun rowsOwn = new BatchRun(Files.createDirectories(dir.resolve("own"))).csv("id,prompt,model\nok,A lake,\nold,A river,"
                + "veo-2.0-generate-001\n");
        int exit = rowsOwn.run(geminiArgs(gemini, KEY));

        assertThat(exit).isEqualTo(3);
        Map<String, Map<String, String>> rows = byId(rowsOwn.report());
        assertThat(rows.get("ok").get("status")).isEqualTo("SUCCEEDED");
        assertThat(rows.get("old").get("status")).isEqualTo("FAILED");
        assertThat(rows.get("old").get("diagnosis")).contains("veo-2.0-generate-001").contains("vertex-veo");
        assertThat(gemini.createdPrompts()).containsExactly("A lake");
    }

    @Test
    void aQuotaAnswerWaitsTheRetryInfoDelayAndEveryRowIsDeliveredOnce(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setThrottleRate(0.5);
        start(settings, KEY);
        BatchRun run = new BatchRun(dir).csv("prompt\nq1\nq2\nq3\nq4\n");

        int exit = run.run(geminiArgs(gemini, KEY, "--sora.retry.max-retry-after=5s", "--sora.retry.max-attempts=12",
                "--sora.progress=log"));

        assertThat(exit).as(output.getOut()).isZero();
        assertThat(gemini.requestCount("throttled")).isPositive();
        assertThat(output.getOut()).contains("HTTP 429 RESOURCE_EXHAUSTED").contains("retrying in 1000 ms");
        assertThat(gemini.createdPrompts()).containsExactlyInAnyOrder("q1", "q2", "q3", "q4");
        assertThat(run.report()).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
    }

    @Test
    void aCreateWhoseAnswerWasLostIsReportedAsPossiblyBilledAndNeverSentAgain() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setLostCreateResponseRate(1.0);
        start(settings, KEY);
        BatchRun run = new BatchRun(dir).csv("prompt\nl1\nl2\n");

        int exit = run.run(geminiArgs(gemini, KEY));

        assertThat(exit).isEqualTo(3);
        assertThat(gemini.createdPrompts()).containsExactlyInAnyOrder("l1", "l2");
        assertThat(run.report()).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("FAILED");
            assertThat(r.get("error_code")).isEqualTo("unanswered_create");
            assertThat(r.get("diagnosis")).contains("gemini-veo").contains("billed");
        });
    }

    @Test
    void aKilledRunIsResumedPollingTheOperationsInFlightWithoutPayingTwice(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(4));
        settings.setMaxRunningJobs(3);
        start(settings, KEY);
        BatchRun run = new BatchRun(dir).csv("prompt\nk1\nk2\nk3\nk4\nk5\nk6\n");
        Process child = run.startInOwnJvm("killed-run.log", geminiArgs(gemini, KEY, "--sora.max-in-flight=3"));
        CoreJobFunctionalTests.await(() -> gemini.createdPrompts().size() >= 3);
        // three operations in flight fill every slot for 4 s: no create is under way when the process is killed
        Thread.sleep(500);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> paidBeforeKill = gemini.createdPrompts();
        int pollsBeforeResume = gemini.requestCount("poll");

        int exit = run.run(geminiArgs(gemini, KEY, "--sora.max-in-flight=3"));

        assertThat(paidBeforeKill).containsExactlyInAnyOrder("k1", "k2", "k3");
        assertThat(exit).as(Files.readString(dir.resolve("killed-run.log"))).isZero();
        assertThat(output).contains("was interrupted (its process is no longer running): recovering it");
        assertThat(gemini.requestCount("poll")).isGreaterThan(pollsBeforeResume);
        assertThat(gemini.createdPrompts()).containsExactlyInAnyOrder("k1", "k2", "k3", "k4", "k5", "k6");
        assertThat(run.report()).hasSize(6).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(gemini.storageSawKey()).isFalse();
    }

    @Test
    void doctorChecksTheKeyAndTheModelWithAFreeCall(CapturedOutput output) {
        start(BatchRun.fastSimulator(), KEY);

        int exit = dev.sorabatch.SoraBatchApplication.run(new String[] { "doctor", "--sora.dotenv.dir=" + dir,
                "--provider=gemini-veo", "--sora.gemini.base-url=" + gemini.apiUrl(), "--sora.gemini.api-key=" + KEY });
        int retired = dev.sorabatch.SoraBatchApplication.run(new String[] { "doctor", "--sora.dotenv.dir=" + dir,
                "--provider=gemini-veo", "--sora.gemini.base-url=" + gemini.apiUrl(), "--sora.gemini.api-key=" + KEY,
                "--sora.model=veo-3.0-fast-generate-001" });

        assertThat(exit).as(output.getOut()).isZero();
        assertThat(output.getOut()).contains("GEMINI_API_KEY is set").contains("GEMINI_API_KEY accepted and model "
                + "veo-3.1-fast-generate-preview served");
        assertThat(retired).isEqualTo(2);
        assertThat(output.getOut()).contains("no longer available on the Gemini API");
        assertThat(gemini.createdPrompts()).isEmpty();
        assertThat(output).doesNotContain(KEY);
    }

    @Test
    void simulateWithProviderGeminiVeoRunsAgainstTheBuiltInGeminiApi() throws Exception {
        BatchRun run = new BatchRun(dir).csv("prompt,seconds\nA quiet forest,4\nA lake,6\n");

        int exit = run.run("--simulate", "--provider=gemini-veo", "--sora.simulator.job-duration=400ms");
        int doctor = dev.sorabatch.SoraBatchApplication.run(new String[] { "doctor", "--simulate",
                "--provider=gemini-veo", "--sora.dotenv.dir=" + dir });

        assertThat(exit).isZero();
        assertThat(doctor).isZero();
        assertThat(run.report()).hasSize(2).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
    }
}
