package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.cli.SoraSimulator;

/**
 * Reuse by content, in one output folder: the same CSV run again pays for nothing; an edited, failed or skipped row,
 * or one whose video was deleted or changed, is sent again; {@code --again} sends everything. Creates are counted by
 * the simulator, so "not sent" means the service never heard of the row.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReuseByContentFunctionalTests extends SimulatedServiceTest {

    static final String KEY = "reuse-key";
    /** {@code run 1 row 2 (started 2026-12-01 14:11:38)}: the documented form of {@code reused_from}. */
    static final String STARTED = " \\(started \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\)";

    @Test
    void anUnchangedReRunSendsNothingAndReportsTheEarlierFilesAsReused(CapturedOutput output) throws Exception {
        // given: a completed run; rows 1 and 3 ask for the same video on purpose
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt,n_seconds,n_variants\nlake,A lake at dawn,4,1\n"
                + "boats,Paper boats,4,2\nlake-again,A lake at dawn,4,1\n");
        assertThat(run.against(simulator)).isZero();
        List<Map<String, String>> first = run.report();
        int requests = simulator.totalRequests();
        int mark = output.getOut().length();

        // when: the same command again
        int exit = run.against(simulator);

        // then: no create, poll or download; every row SUCCEEDED with the files of run 1, at no cost
        assertThat(exit).isZero();
        assertThat(simulator.requestCount("create")).isEqualTo(3);
        assertThat(simulator.totalRequests()).isEqualTo(requests);
        List<Map<String, String>> second = run.report();
        assertThat(second).extracting(r -> r.get("status")).containsOnly("SUCCEEDED");
        assertThat(second).extracting(r -> r.get("video_files"))
                .containsExactlyElementsOf(first.stream().map(r -> r.get("video_files")).toList());
        assertThat(second).extracting(r -> r.get("thumbnail_files"))
                .containsExactlyElementsOf(first.stream().map(r -> r.get("thumbnail_files")).toList());
        assertThat(second.get(0).get("video_files")).as("two rows asking for one video keep a video each")
                .isNotEqualTo(second.get(2).get("video_files"));
        for (int i = 0; i < 3; i++) {
            Map<String, String> row = second.get(i);
            assertThat(row.get("reused_from")).matches("run 1 row " + (i + 1) + STARTED);
            assertThat(row.get("cost")).isEqualTo("0.00 USD");
            assertThat(row.get("job_id")).as("no job of this run").isEmpty();
            assertThat(row.get("diagnosis")).contains(first.get(i).get("job_id")).contains("--again");
            for (String file : row.get("video_files").split(";")) {
                assertThat(Path.of(file)).exists().isRegularFile();
            }
        }
        assertThat(Files.readAllLines(run.output.resolve("report.csv")).get(0)).endsWith(",cost,reused_from");
        assertThat(output.getOut().substring(mark)).contains("Starting run #2")
                .contains("3 succeeded, 0 failed, 0 skipped, 3 reused (paid in earlier runs)")
                .contains("row 2 (boats): reused the video of run 1 row 2");
        // Spring Batch's record: a second run (job instance) whose submit step filtered every row and wrote none
        JobRepositoryRecords records = JobRepositoryRecords.of(run);
        assertThat(records.instances()).hasSize(2);
        List<JobRepositoryRecords.Execution> executions = records.executions();
        assertThat(executions).extracting(JobRepositoryRecords.Execution::instanceId).doesNotHaveDuplicates();
        executions.forEach(JobRepositoryRecords::assertCompleted);
        assertThat(executions.get(0).step("submit").write()).isEqualTo(3);
        JobRepositoryRecords.Step reused = executions.get(1).step("submit");
        assertThat(reused.read()).isEqualTo(3);
        assertThat(reused.filter()).isEqualTo(3);
        assertThat(reused.write()).isZero();
        assertThat(reused.skip()).isZero();
    }

    @Test
    void afterEditingOneRowExactlyThatRowIsSent(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt,n_seconds\nfirst,4\nsecond,4\nthird,4\n");
        assertThat(run.against(simulator)).isZero();

        run.csv("prompt,n_seconds\nfirst,4\nsecond at night,4\nthird,4\n");
        int exit = run.against(simulator);

        assertThat(exit).isZero();
        assertThat(simulator.requestCount("create")).isEqualTo(4);
        assertThat(simulator.createdPrompts().get(3)).isEqualTo("second at night");
        assertThat(run.report()).extracting(r -> r.get("row") + " " + r.get("status") + " " + !r.get("reused_from")
                .isEmpty()).containsExactly("1 SUCCEEDED true", "2 SUCCEEDED false", "3 SUCCEEDED true");
        assertThat(output.getOut()).contains("3 succeeded, 0 failed, 0 skipped, 2 reused (paid in earlier runs)");
        assertThat(JobRepositoryRecords.of(run).executions().get(1).step("submit"))
                .extracting(s -> s.read(), s -> s.filter(), s -> s.write()).containsExactly(3L, 2L, 1L);
    }

    @Test
    void aRowThatFailedOrWasSkippedIsSentAgain() throws Exception {
        // given: row 2 fails at the service, row 3 is skipped by the budget
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt,n_seconds\nfine,4\nbroken [fail],4\nlater,4\n");
        assertThat(run.against(simulator, "--max-video-seconds=8")).isEqualTo(3);
        assertThat(run.report()).extracting(r -> r.get("status")).containsExactly("SUCCEEDED", "FAILED", "SKIPPED");

        // when
        int exit = run.against(simulator);

        // then: only row 1 is reused; the failed row is sent (and fails again), the skipped one is sent
        assertThat(exit).isEqualTo(3);
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("fine", "broken [fail]", "broken [fail]",
                "later");
        assertThat(run.report()).extracting(r -> r.get("status") + " " + r.get("reused_from").isEmpty())
                .containsExactly("SUCCEEDED false", "FAILED true", "SUCCEEDED true");
    }

    @Test
    void againSendsEveryRowAndSaysSoBeforeSending(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt\nlake,A lake at dawn\nsea,The sea\n");
        assertThat(run.against(simulator)).isZero();
        int mark = output.getOut().length();

        int exit = run.against(simulator, "--again");

        assertThat(exit).isZero();
        assertThat(simulator.createdPrompts()).containsExactly("A lake at dawn", "The sea", "A lake at dawn",
                "The sea");
        String log = output.getOut().substring(mark);
        assertThat(log).contains("--again: every row is sent");
        assertThat(log.indexOf("--again: every row is sent")).isLessThan(log.indexOf("submitted as job"));
        assertThat(run.report()).extracting(r -> r.get("reused_from")).containsOnly("");
        assertThat(run.report()).extracting(r -> r.get("video_files")).containsExactly(
                run.output.resolve("lake-2.mp4").toString(), run.output.resolve("sea-2.mp4").toString());
    }

    @Test
    void aDeletedOrAModifiedVideoMakesItsRowBeSentAgain(CapturedOutput output) throws Exception {
        // given: a completed run; then row 1's video is deleted and one byte of row 2's is changed (same size)
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt\nlake,A lake at dawn\nsea,The sea\nsky,The sky\n");
        assertThat(run.against(simulator)).isZero();
        Files.delete(run.output.resolve("lake.mp4"));
        byte[] edited = Files.readAllBytes(run.output.resolve("sea.mp4"));
        edited[edited.length / 2] ^= 1;
        Files.write(run.output.resolve("sea.mp4"), edited);

        // when
        int exit = run.against(simulator);

        // then: rows 1 and 2 are sent and saved under names of their own; the edited file keeps the user's bytes
        assertThat(exit).isZero();
        assertThat(simulator.createdPrompts()).containsExactly("A lake at dawn", "The sea", "The sky",
                "A lake at dawn", "The sea");
        List<Map<String, String>> report = run.report();
        assertThat(report).extracting(r -> r.get("reused_from").isEmpty()).containsExactly(true, true, false);
        assertThat(report.get(1).get("video_files")).isEqualTo(run.output.resolve("sea-2.mp4").toString());
        assertThat(report.get(2).get("video_files")).isEqualTo(run.output.resolve("sky.mp4").toString());
        assertThat(Files.readAllBytes(run.output.resolve("sea.mp4"))).isEqualTo(edited);
        assertThat(output.getOut()).contains("row 1 (lake): not reused, so it is sent: the earlier video "
                + run.output.resolve("lake.mp4").toAbsolutePath() + " was deleted or changed")
                .contains("row 2 (sea): not reused");
    }
}
