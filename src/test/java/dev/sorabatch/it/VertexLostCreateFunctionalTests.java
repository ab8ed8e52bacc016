package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.simulator.SimulatorSettings;

/**
 * A create whose answer was lost at Vertex AI, which cannot list its operations: never sent again on its own (the
 * row fails as possibly billed), sent again with {@code --resend-unanswered} (the rest of the run kept as it
 * ended), and, with a storage prefix, found by its videos under the row's own sub-prefix and adopted instead.
 */
@ExtendWith(OutputCaptureExtension.class)
class VertexLostCreateFunctionalTests extends VertexSimulatedTest {

    @Test
    void aLostCreateIsReportedNotResentThenResentDeliberatelyWithTheRestKept(CapturedOutput output) throws Exception {
        start(BatchRun.fastSimulator());
        BatchRun run = new BatchRun(dir).csv("id,prompt\nkept,A quiet lake\nlost,A red kite [lost-answer]\n");

        int lostExit = run.run(vertexArgs());

        assertThat(lostExit).isEqualTo(3);
        Map<String, Map<String, String>> rows = byId(run.report());
        assertThat(rows.get("kept").get("status")).isEqualTo("SUCCEEDED");
        assertThat(rows.get("lost").get("status")).isEqualTo("FAILED");
        assertThat(rows.get("lost").get("error_code")).isEqualTo("unanswered_create");
        assertThat(rows.get("lost").get("diagnosis")).contains("may have been created and billed")
                .contains("--resend-unanswered");
        assertThat(vertex.createdPrompts()).as("the lost create was sent once, never again on its own")
                .containsExactly("A quiet lake", "A red kite [lost-answer]");

        int plainRerun = run.run(vertexArgs());

        assertThat(plainRerun).as("the same command again: the lost create is still not sent on its own")
                .isEqualTo(3);
        assertThat(vertex.createdPrompts()).hasSize(2);
        rows = byId(run.report());
        assertThat(rows.get("kept").get("status")).isEqualTo("SUCCEEDED");
        assertThat(rows.get("lost").get("status")).isEqualTo("FAILED");
        assertThat(rows.get("lost").get("error_code")).isEqualTo("unanswered_create");
        assertThat(rows.get("lost").get("diagnosis")).contains("went unanswered").contains("run 1")
                .contains("--resend-unanswered");

        int resendExit = run.run(vertexArgs("--resend-unanswered"));

        assertThat(resendExit).isZero();
        assertThat(run.report()).hasSize(2).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(vertex.createdPrompts()).as("the unanswered row sent again, deliberately; the other not")
                .containsExactly("A quiet lake", "A red kite [lost-answer]", "A red kite [lost-answer]");

        int again = run.run(vertexArgs("--resend-unanswered"));

        assertThat(again).isZero();
        assertThat(output).contains("no row ended with unanswered_create");
        assertThat(vertex.createdPrompts()).as("nothing left to resend: nothing sent").hasSize(3);
    }

    @Test
    void withAStorageUriALostCreateIsFoundByItsVideosAndAdopted() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(100)); // done before the orphan check looks
        settings.setLostCreateResponseRate(1.0);
        start(settings);
        BatchRun run = new BatchRun(dir).csv("id,prompt,n_variants\none,A red kite,\ntwo,A red kite,2\n");

        int exit = run.run(vertexArgs("--sora.vertex.storage-uri=gs://my-bucket/veo/"));

        assertThat(exit).isZero();
        assertThat(vertex.requestCount("storage-list")).isPositive();
        assertThat(vertex.createdPrompts()).containsExactly("A red kite", "A red kite");
        Map<String, Map<String, String>> rows = byId(run.report());
        assertThat(rows.get("one").get("job_id")).matches("gs://my-bucket/veo/row-1-[0-9a-f]{12}/\\d+/");
        assertThat(rows.get("two").get("video_files").split(";")).as("each row its own videos, by its prefix")
                .hasSize(2);
    }

    @Test
    void withAStorageUriAResentRowWhoseVideosAppearedMeanwhileIsAdoptedNotPaidTwice(CapturedOutput output)
            throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(2)); // still running when the orphan check looks
        start(settings);
        BatchRun run = new BatchRun(dir).csv("prompt\nA slow kite [lost-answer]\n");

        int lostExit = run.run(vertexArgs("--sora.vertex.storage-uri=gs://my-bucket/veo"));
        CoreJobFunctionalTests.await(this::allDone);
        int resendExit = run.run(vertexArgs("--sora.vertex.storage-uri=gs://my-bucket/veo", "--resend-unanswered"));

        assertThat(lostExit).isEqualTo(3);
        assertThat(resendExit).isZero();
        assertThat(output).contains("adopted");
        assertThat(vertex.createdPrompts()).as("found under the row's prefix: not sent again")
                .containsExactly("A slow kite [lost-answer]");
        assertThat(run.report().get(0).get("status")).isEqualTo("SUCCEEDED");
    }

    /** Every simulated operation finished (so its videos are in the bucket). */
    private boolean allDone() {
        return vertex.jobs().of("vertex").stream().noneMatch(j -> j.isRunning(System.currentTimeMillis()));
    }
}
