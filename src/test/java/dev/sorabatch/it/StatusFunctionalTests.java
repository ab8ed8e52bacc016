package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.cli.SoraSimulator;
import dev.sorabatch.simulator.SimulatorSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code status}: the runs in the job repository, read only, also while a run holds it. */
@ExtendWith(OutputCaptureExtension.class)
class StatusFunctionalTests extends SimulatedServiceTest {

    @Test
    void statusAfterTwoRunsListsBothWithTheirCountsAndJsonForScripts(CapturedOutput output) throws Exception {
        // given: rows 1-2 of a CSV, then all of it (one row fails on moderation, one is invalid)
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "status-key").start();
        BatchRun run = new BatchRun(dir).csv("prompt,n_seconds\na,4\nb,4\nc [moderation],4\nd,abc\n");
        assertThat(run.against(simulator, "--rows=1-2")).isZero();
        assertThat(run.against(simulator)).isEqualTo(3);

        // when
        int mark = output.getOut().length();
        int exit = run.status();
        String text = output.getOut().substring(mark);
        mark = output.getOut().length();
        int jsonExit = run.status("--json");
        JsonNode json = JsonMapper.builder().build().readTree(output.getOut().substring(mark));
        mark = output.getOut().length();
        int filtered = run.status("--input=" + dir.resolve("other.csv"));
        String none = output.getOut().substring(mark);

        // then
        assertThat(exit).isZero();
        assertThat(text).contains("2 runs in the job repository")
                .contains("run #1 of " + run.input.toAbsolutePath() + " (rows 1-2)")
                .contains("2 succeeded, 0 failed, 0 skipped, 0 in flight · 8 s of video")
                .contains("2 succeeded, 1 failed, 1 skipped, 0 in flight · 8 s of video")
                .contains("COMPLETED").contains("report " + run.output.resolve("report.csv").toAbsolutePath());
        assertThat(jsonExit).isZero();
        assertThat(json.isArray()).isTrue();
        assertThat(json.size()).isEqualTo(2);
        JsonNode first = json.get(0);
        JsonNode second = json.get(1);
        assertThat(first.get("selectedRows").asString()).isEqualTo("1-2");
        assertThat(second.get("selectedRows").isNull()).isTrue();
        assertThat(List.of(first.get("run").asLong(), second.get("run").asLong())).containsExactly(1L, 1L);
        assertThat(second.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(second.get("input").asString()).isEqualTo(run.input.toAbsolutePath().toString());
        assertThat(second.get("rows").get("succeeded").asInt()).isEqualTo(2);
        assertThat(second.get("rows").get("failed").asInt()).isEqualTo(1);
        assertThat(second.get("rows").get("skipped").asInt()).isEqualTo(1);
        assertThat(second.get("secondsOfVideo").asLong()).isEqualTo(8);
        assertThat(second.get("started").asString()).endsWith("Z");
        assertThat(second.has("cost")).isTrue();
        assertThat(second.get("report").asString()).endsWith("report.csv");
        assertThat(filtered).isZero();
        assertThat(none).contains("no run of");
    }

    @Test
    void onAnH2FileARunHoldsStatusReadsItsStatusFileAndCancelStopsItWithoutPayingTwice(CapturedOutput output)
            throws Exception {
        // given: a run in another JVM holding the H2 repository, its jobs slow enough to watch
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(8));
        simulator = new SoraSimulator(settings, "status-key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\nh1\nh2\nh3\n");
        Process holder = run.startInOwnJvm("holder.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=status-key", "--sora.max-in-flight=2");
        java.nio.file.Path statusFiles = dir.resolve("repo/runs");
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 2 && jsonFiles(statusFiles) == 1);

        // when
        int statusExit = run.status();
        String statusSaid = output.getOut();
        int mark = output.getOut().length();
        run.status("--json");
        JsonNode live = JsonMapper.builder().build().readTree(output.getOut().substring(mark)).get(0);
        mark = output.getOut().length();
        int cancelExit = run.cancel();
        String cancelSaid = output.getOut().substring(mark);
        boolean stopped = holder.waitFor(60, TimeUnit.SECONDS);
        String log = Files.readString(dir.resolve("holder.log"));
        int paidBeforeResume = simulator.createdPrompts().size();
        int resumed = run.against(simulator);

        // then
        assertThat(statusExit).isZero();
        assertThat(statusSaid).contains("shown from the status file").contains("RUNNING in process " + holder.pid());
        assertThat(live.get("state").asString()).isEqualTo("STARTED");
        assertThat(live.get("runningIn").asString()).startsWith(holder.pid() + "@");
        assertThat(live.get("rows").get("inFlight").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(cancelExit).as(cancelSaid).isZero();
        assertThat(cancelSaid).contains("has stopped");
        assertThat(stopped).isTrue();
        assertThat(holder.exitValue()).as(log).isEqualTo(1);
        assertThat(log).contains("the run stopped (STOPPED)");
        assertThat(jsonFiles(statusFiles)).as("deleted when the run ended").isZero();
        assertThat(paidBeforeResume).isEqualTo(2);
        assertThat(resumed).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("h1", "h2", "h3");
        // Spring Batch's record: stopped with row 3 unread (no slot was free), resumed with that row alone
        List<JobRepositoryRecords.Execution> attempts = JobRepositoryRecords.of(run).assertResumedOnce(3);
        assertThat(attempts.get(0).status()).isEqualTo("STOPPED");
        assertThat(attempts.get(0).step("submit").status()).isEqualTo("STOPPED");
        assertThat(attempts.get(1).step("submit").read()).isEqualTo(1);
    }

    @Test
    void statusAndCancelAgainstAnH2FileHeldWithoutAStatusFileAreOneLineAndExit2(CapturedOutput output)
            throws Exception {
        // given: a run holding the repository whose status file cannot be written (a file where its folder goes)
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(3));
        simulator = new SoraSimulator(settings, "status-key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\nh1\nh2\n");
        Files.createDirectories(dir.resolve("repo"));
        Files.writeString(dir.resolve("repo/runs"), "not a folder");
        Process holder = run.startInOwnJvm("holder.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=status-key");
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 1);

        // when
        int exit = run.status();
        String statusSaid = output.getErr().strip();
        int mark = output.getErr().length();
        int cancelExit = run.cancel();
        String cancelSaid = output.getErr().substring(mark).strip();

        // then: one line each, and the run goes on untouched
        assertThat(exit).isEqualTo(2);
        assertThat(statusSaid).startsWith("sora-batch status: the H2 job repository is open in another")
                .contains("PostgreSQL").doesNotContain("\tat ").satisfies(err -> assertThat(err.lines()).hasSize(1));
        assertThat(cancelExit).isEqualTo(2);
        assertThat(cancelSaid).startsWith("sora-batch cancel: the H2 job repository is open").contains("SIGTERM")
                .doesNotContain("\tat ").satisfies(err -> assertThat(err.lines()).hasSize(1));
        assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(holder.exitValue()).as(Files.readString(dir.resolve("holder.log"))).isZero();
    }

    private static long jsonFiles(java.nio.file.Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
