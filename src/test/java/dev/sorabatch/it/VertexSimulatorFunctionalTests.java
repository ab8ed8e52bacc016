package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.simulator.Simulator;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;

/** The whole job against the simulated Vertex AI Veo: every kind of row, storage, refusals, quota, a kill. */
@ExtendWith(OutputCaptureExtension.class)
class VertexSimulatorFunctionalTests extends VertexSimulatedTest {

    /** Image URLs the simulator answers (a test never calls the real web). */
    private String images() {
        return vertex.baseUrl() + Simulator.IMAGE_PATH;
    }

    @Test
    void everyKindOfRowSucceedsWithTheImageSentInlineAndNoCredentialPrinted(CapturedOutput output) throws Exception {
        start(BatchRun.fastSimulator());
        BatchRun run = new BatchRun(dir).csv("id,prompt,image_url,seconds,aspect_ratio,resolution,n_variants,"
                + "negative_prompt,seed,model,param.generate_audio\n"
                + "plain,A quiet forest,,8,16:9,720p,,,,,\n"
                + "extras,A night market,,6,9:16,1080p,,blurry,42,,false\n"
                + "image,The lantern drifts up," + images() + "/lantern.jpg,8,,,,,,,\n"
                + "takes,A glacier calving,,4,16:9,4k,2,,,veo-3.1-generate-001,\n"
                + "default,Desert dunes,,,,,,,,,\n");

        int exit = run.run(vertexArgs());

        assertThat(exit).as(output.getOut()).isZero();
        assertThat(run.report()).hasSize(5).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        try (var files = Files.list(run.output)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mp4")).sorted())
                    .containsExactly("default.mp4", "extras.mp4", "image.mp4", "plain.mp4", "takes-v1.mp4",
                            "takes-v2.mp4");
        }
        assertThat(Files.readAllBytes(run.output.resolve("plain.mp4")))
                .as("the inline bytesBase64Encoded, decoded").isEqualTo(Wire.resource("simulator/sample.mp4"));
        assertThat(vertex.createdPrompts()).hasSize(5).doesNotHaveDuplicates();
        JsonNode image = vertex.imageSent("The lantern drifts up");
        byte[] reference = Wire.resource("simulator/reference.jpg");
        assertThat(image.get("mimeType").asString()).isEqualTo("image/jpeg");
        assertThat(image.get("bytes").asInt()).isEqualTo(reference.length);
        assertThat(image.get("sha256").asString()).isEqualTo(sha256(reference));
        JsonNode extras = vertex.parametersSent("A night market");
        assertThat(extras.get("aspectRatio").asString()).isEqualTo("9:16");
        assertThat(extras.get("resolution").asString()).isEqualTo("1080p");
        assertThat(extras.get("negativePrompt").asString()).isEqualTo("blurry");
        assertThat(extras.get("seed").asLong()).isEqualTo(42);
        assertThat(extras.get("generateAudio").asBoolean()).isFalse();
        assertThat(vertex.parametersSent("A glacier calving").get("sampleCount").asInt()).isEqualTo(2);
        assertThat(vertex.parametersSent("Desert dunes").has("durationSeconds")).as("Veo's own default").isFalse();
        assertThat(vertex.requestCount("token")).as("Google's library got a token").isPositive();
        assertThat(vertex.requestCount("unauthorized")).isZero();
        assertThat(output.toString()).doesNotContain("ya29.").doesNotContain("PRIVATE KEY");
    }

    @Test
    void withAStorageUriEachRowFilesItsVideosUnderItsOwnPrefixAndTheyComeFromCloudStorage() throws Exception {
        start(BatchRun.fastSimulator());
        BatchRun run = new BatchRun(dir).csv("id,prompt,n_variants\none,A red kite,\ntwo,A blue kite,2\n");

        int exit = run.run(vertexArgs("--sora.vertex.storage-uri=gs://my-bucket/veo"));

        assertThat(exit).isZero();
        Map<String, Map<String, String>> rows = byId(run.report());
        assertThat(rows.get("one").get("generation_ids")).matches("gs://my-bucket/veo/row-1-[0-9a-f]{12}/\\d+/"
                + "sample_0\\.mp4");
        assertThat(rows.get("two").get("generation_ids").split(";")).hasSize(2)
                .allMatch(g -> g.startsWith("gs://my-bucket/veo/row-2-"));
        assertThat(vertex.requestCount("download")).as("one object fetch per video").isEqualTo(3);
        assertThat(Files.readAllBytes(run.output.resolve("two-v2.mp4"))).isEqualTo(Wire.resource("simulator/sample.mp4"));
    }

    @Test
    void filteredAndFailedOperationsAreReportedInTheServicesWordsAndNotSentAgain() throws Exception {
        start(BatchRun.fastSimulator());
        BatchRun run = new BatchRun(dir).csv("id,prompt,image_url,param.person_generation\n"
                + "ok,A quiet lake,,\n"
                + "prompt,A violent scene [moderation],,\n"
                + "image,A portrait [rai-image]," + images() + "/face.jpg,\n"
                + "broken,A lake [fail],,\n"
                + "people,A crowd,,allow_all\n");

        int exit = run.run(vertexArgs());

        assertThat(exit).isEqualTo(3);
        Map<String, Map<String, String>> rows = byId(run.report());
        assertThat(rows.get("ok").get("status")).isEqualTo("SUCCEEDED");
        assertThat(rows.get("prompt").get("diagnosis")).contains("safety filters")
                .contains("This prompt contains sensitive words").contains("Support codes: 29310472");
        assertThat(rows.get("image").get("diagnosis")).contains("safety filters")
                .contains("the input image violates").contains("Support codes: 17301594");
        assertThat(rows.get("broken").get("diagnosis")).contains("error 13").contains("Internal error encountered");
        assertThat(rows.get("people").get("diagnosis")).contains("error 3").contains("approved for person");
        rows.values().stream().filter(r -> !r.get("id").equals("ok"))
                .forEach(r -> assertThat(r.get("status")).isEqualTo("FAILED"));
        assertThat(vertex.createdPrompts()).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void quotaAnswersAreWaitedOutAsRetryInfoAsks(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setThrottleRate(0.35);
        start(settings);
        BatchRun run = new BatchRun(dir).csv("prompt\nq1\nq2\nq3\nq4\n");

        int exit = run.run(vertexArgs("--sora.retry.max-retry-after=5s", "--sora.retry.max-attempts=10"));

        assertThat(exit).as(output.getOut()).isZero();
        assertThat(vertex.requestCount("throttled")).isPositive();
        assertThat(output.getOut()).contains("RESOURCE_EXHAUSTED").contains("retrying in 1000 ms");
        assertThat(vertex.createdPrompts()).containsExactlyInAnyOrder("q1", "q2", "q3", "q4");
    }

    @Test
    void aKilledRunIsResumedPollingTheOperationsItStartedWithoutCreatingThemAgain(CapturedOutput output)
            throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1500));
        start(settings);
        BatchRun run = new BatchRun(dir).csv("prompt\nk1\nk2\nk3\nk4\nk5\nk6\n");
        Process child = run.startInOwnJvm("killed-run.log", vertexArgs());
        CoreJobFunctionalTests.await(() -> vertex.createdPrompts().size() >= 3);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> paidBeforeKill = vertex.createdPrompts();
        int pollsBeforeResume = vertex.requestCount("poll");

        int exit = run.run(vertexArgs());

        assertThat(paidBeforeKill).hasSizeGreaterThanOrEqualTo(3);
        assertThat(output).contains("was interrupted (its process is no longer running): recovering it");
        assertThat(vertex.createdPrompts()).as("never created twice").doesNotHaveDuplicates()
                .containsAll(paidBeforeKill);
        assertThat(vertex.requestCount("poll")).as("the operations in flight were polled").isGreaterThan(
                pollsBeforeResume);
        // a create the kill cut off between sending and recording cannot be told apart (it may or may not have
        // reached Vertex): the one row the submit step was sending is reported, never resent; the rest succeed
        List<Map<String, String>> report = run.report();
        assertThat(report).hasSize(6).allSatisfy(r -> assertThat(r.get("status") + " " + r.get("error_code"))
                .isIn("SUCCEEDED ", "FAILED unanswered_create"));
        long unanswered = report.stream().filter(r -> r.get("status").equals("FAILED")).count();
        assertThat(unanswered).isLessThanOrEqualTo(1);
        assertThat(exit).isEqualTo(unanswered == 0 ? 0 : 3);
    }

    @Test
    void simulateWithProviderVertexRunsAgainstTheBuiltInGoogleCloud() throws Exception {
        BatchRun run = new BatchRun(dir).csv("prompt,seconds,image_url\nA quiet forest,4,\nA lake,6,"
                + "https://images.example.com/lake.png\n");

        int exit = run.run("--simulate", "--provider=vertex-veo", "--sora.simulator.job-duration=400ms");

        assertThat(exit).isZero();
        assertThat(run.report()).hasSize(2).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
