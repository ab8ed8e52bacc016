package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/**
 * The whole job on the Videos API ({@code --provider=openai-videos}) against the simulator speaking it: the same
 * job, ledger, retry and skip policy and report as on Azure Sora, with the protocol's own request shape, statuses,
 * errors and files.
 */
@ExtendWith(OutputCaptureExtension.class)
class VideosProtocolFunctionalTests extends SimulatedServiceTest {

    private static final String KEY = "sk-videos-test-key-do-not-print-51c2";

    @Test
    void rowsOfEveryKindGoThroughTheVideosApi(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        String images = simulator.baseUrl() + SoraSimulator.IMAGE_PATH;
        BatchRun run = new BatchRun(dir).csv("id,prompt,size,seconds,model,image_url,n_variants\n"
                + "city,A city at night in the rain,1280x720,8,,,\n"
                + "tall,A tall waterfall,,,,,\n"
                + "pro,A wide desert,1792x1024,12,sora-2-pro,,\n"
                + "dog,The dog in this picture swims,1280x720,4,," + images + "/cdn/dog.jpg,\n"
                + "refused,A famous actor [moderation],,,,,\n"
                + "broken,A crash [fail],,,,,\n"
                + "odd,An odd size,1000x1000,4,,,\n"
                + "twins,Two of them,,,,,2\n");

        int exit = run.against(simulator, "--sora.endpoint=" + simulator.videosBaseUrl());

        assertThat(exit).isEqualTo(3);
        Map<String, Map<String, String>> byId = run.report().stream()
                .collect(Collectors.toMap(r -> r.get("id"), Function.identity()));
        for (String id : List.of("city", "tall", "pro", "dog")) {
            Map<String, String> row = byId.get(id);
            assertThat(row).as(id).containsEntry("status", "SUCCEEDED").containsEntry("n_variants", "1");
            assertThat(row.get("job_id")).startsWith("video_");
            assertThat(Path.of(row.get("video_files"))).exists().hasFileName(id + ".mp4");
            assertThat(Path.of(row.get("thumbnail_files"))).hasFileName(id + ".webp");
            assertThat(Files.readAllBytes(Path.of(row.get("thumbnail_files")))).startsWith('R', 'I', 'F', 'F');
        }
        assertThat(byId.get("tall")).containsEntry("width", "720").containsEntry("height", "1280")
                .containsEntry("n_seconds", "4");
        assertThat(byId.get("pro")).containsEntry("width", "1792").containsEntry("n_seconds", "12");
        assertThat(byId.get("refused")).containsEntry("status", "FAILED");
        assertThat(byId.get("refused").get("error_code")).startsWith("moderation_blocked");
        assertThat(byId.get("refused").get("diagnosis")).contains("moderation").contains("Rephrase");
        assertThat(byId.get("broken")).containsEntry("status", "FAILED");
        assertThat(byId.get("broken").get("diagnosis")).contains("internal_error").contains("submit it again later");
        assertThat(byId.get("odd")).containsEntry("status", "FAILED").containsEntry("http_status", "400")
                .containsEntry("error_code", "invalid_value");
        assertThat(byId.get("odd").get("diagnosis")).contains("Invalid value: '1000x1000'").contains("size");
        assertThat(byId.get("twins")).containsEntry("status", "SKIPPED");
        assertThat(byId.get("twins").get("diagnosis")).contains("column n_variants")
                .contains("one video per request");
        assertThat(simulator.createdPrompts()).hasSize(6).doesNotContain("Two of them", "An odd size");
        assertThat(output.getAll()).doesNotContain(KEY);
    }

    @Test
    void theProgressTheServiceReportsShowsInTheLiveProgress(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(3));
        simulator = new SoraSimulator(settings, KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\nb\n");

        int exit = run.against(simulator, "--sora.endpoint=" + simulator.videosBaseUrl(),
                "--sora.progress-every=500ms");

        assertThat(exit).isZero();
        assertThat(output.getOut()).containsPattern("2 in flight \\(about [1-9]\\d? % done\\)");
    }

    @Test
    void aKilledRunOnTheVideosApiIsResumedWithoutPayingTwice() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1500));
        simulator = new SoraSimulator(settings, KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\nv1\nv2\nv3\nv4\nv5\n");
        Process child = run.startInOwnJvm("killed-run.log", "--sora.endpoint=" + simulator.videosBaseUrl(),
                "--sora.api-key=" + KEY);
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 2);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> paidBeforeKill = simulator.createdPrompts();

        int exit = run.against(simulator, "--sora.endpoint=" + simulator.videosBaseUrl());

        assertThat(paidBeforeKill).isNotEmpty().hasSizeLessThan(5);
        assertThat(exit).isZero();
        assertThat(run.report()).hasSize(5).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("v1", "v2", "v3", "v4", "v5");
    }

    @Test
    void aRejectedKeyStopsTheRunAtOnceNamingTheOpenAiVariable(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\nb\nc\n");

        int exit = run.against(simulator, "--sora.endpoint=" + simulator.videosBaseUrl(),
                "--sora.api-key=sk-wrong-key-value-123456");

        assertThat(exit).isEqualTo(1);
        assertThat(output.getErr()).contains("the run stopped (FAILED)").contains("OPENAI_API_KEY")
                .doesNotContain("sk-wrong-key-value-123456");
        assertThat(simulator.createdPrompts()).isEmpty();
    }
}
