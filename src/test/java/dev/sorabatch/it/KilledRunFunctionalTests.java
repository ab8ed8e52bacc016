package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/** A real process, killed with SIGKILL mid-run, then the same command run again. */
@ExtendWith(OutputCaptureExtension.class)
class KilledRunFunctionalTests extends SimulatedServiceTest {

    @Test
    void sigtermStopsTheRunGracefullyAndTheNextRunCollectsTheJobsInFlight() throws Exception {
        // given
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(3));
        simulator = new SoraSimulator(settings, "term-key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\nt1\nt2\nt3\nt4\nt5\n");
        Process child = run.startInOwnJvm("stopped-run.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=term-key");
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 2);

        // when: a scheduler stops the job
        long signalled = System.nanoTime();
        child.destroy();
        boolean exited = child.waitFor(40, TimeUnit.SECONDS);
        long stopMillis = (System.nanoTime() - signalled) / 1_000_000;
        String log = Files.readString(dir.resolve("stopped-run.log"));
        List<String> paidBeforeStop = simulator.createdPrompts();
        int exit = run.against(simulator);

        // then
        assertThat(exited).isTrue();
        assertThat(child.exitValue()).as(log).isEqualTo(1);
        assertThat(stopMillis).isLessThan(30_000);
        assertThat(log).contains("stop requested").contains("the run stopped (STOPPED)");
        assertThat(run.report()).hasSize(5).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(paidBeforeStop).hasSizeLessThan(5);
        assertThat(exit).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("t1", "t2", "t3", "t4", "t5");
        // Spring Batch's record: one run, stopped, then resumed where its reader had stopped
        List<JobRepositoryRecords.Execution> attempts = JobRepositoryRecords.of(run).assertResumedOnce(5);
        assertThat(attempts.get(0).status()).isEqualTo("STOPPED");
        assertThat(attempts.get(0).exitCode()).isEqualTo("STOPPED");
        assertThat(attempts.get(0).step("submit").status()).isEqualTo("STOPPED");
        assertThat(attempts.get(1).step("submit").read()).as("rows left").isLessThan(5);
    }

    @Test
    void aKilledRunIsRecoveredAndResumedWithoutPayingTwice(CapturedOutput output) throws Exception {
        // given: a run in its own JVM, killed while jobs are in flight
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1500));
        simulator = new SoraSimulator(settings, "kill-test-key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\nk1\nk2\nk3\nk4\nk5\nk6\n");
        Process child = run.startInOwnJvm("killed-run.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=kill-test-key");
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 3);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> paidBeforeKill = simulator.createdPrompts();

        // when: the same command, run again
        int exit = run.against(simulator);

        // then
        assertThat(paidBeforeKill).hasSizeGreaterThanOrEqualTo(3);
        assertThat(exit).isZero();
        assertThat(output).contains("was interrupted (its process is no longer running): recovering it");
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("k1", "k2", "k3", "k4", "k5", "k6");
        assertThat(run.report()).hasSize(6).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        try (var files = Files.list(run.output)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mp4"))).hasSize(6);
        }
        // Spring Batch's record: the killed attempt, recovered as FAILED, then the resumed one
        List<JobRepositoryRecords.Execution> attempts = JobRepositoryRecords.of(run).assertResumedOnce(6);
        assertThat(attempts.get(0).status()).isEqualTo("FAILED");
        // recovery (JobOperator.recover) marks the execution and its running steps FAILED, leaving their exit
        // codes as the killed process last wrote them
        assertThat(attempts.get(0).exitCode()).isEqualTo("UNKNOWN");
        assertThat(attempts.get(0).step("submit").exitCode()).isEqualTo("EXECUTING");
        assertThat(attempts.get(0).step("submit").status()).isEqualTo("FAILED");
        assertThat(attempts.get(0).step("collect").status()).isEqualTo("FAILED");
        assertThat(attempts.get(1).step("submit").read()).as("rows left, three were sent").isLessThanOrEqualTo(4);
    }
}
