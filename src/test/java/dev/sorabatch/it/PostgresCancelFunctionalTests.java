package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.cli.SoraSimulator;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * {@code cancel} from a second process sharing a PostgreSQL repository: the run in the other JVM sees the stop
 * through the repository, ends as after SIGTERM, and resumes later without paying twice; {@code --cancel-jobs}
 * also has it cancel its jobs in flight at the service. Needs PostgreSQL on 127.0.0.1:5432 (see .ci/run).
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresCancelFunctionalTests extends PostgresTwoProcessTest {

    @Override
    String schemaPrefix() {
        return "sora_cancel_";
    }

    @Test
    void cancelFromAnotherProcessStopsTheRunWhichResumesWithoutPayingTwice(CapturedOutput output) throws Exception {
        // given: four rows, two slots, in another JVM: two jobs in flight and the submitter waiting for a slot
        BatchRun run = slowRun("prompt\nc1\nc2\nc3\nc4\n");
        child = run.startInOwnJvm("run.log", args(run, "--sora.max-in-flight=2"));
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 2);

        // when
        int mark = output.getOut().length();
        int cancelled = run.cancel(CREDENTIALS);
        String said = output.getOut().substring(mark);
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        String log = Files.readString(dir.resolve("run.log"));
        int paidBeforeResume = simulator.createdPrompts().size();
        int resumed = run.against(simulator, CREDENTIALS);

        // then
        assertThat(cancelled).as(said).isZero();
        assertThat(said).contains("asked run 1 of").contains("has stopped (STOPPED)");
        assertThat(exited).as(log).isTrue();
        assertThat(child.exitValue()).as(log).isEqualTo(1);
        assertThat(log).contains("the run stopped (STOPPED)");
        assertThat(paidBeforeResume).isEqualTo(2);
        assertThat(simulator.requestCount("delete")).isZero();
        assertThat(resumed).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("c1", "c2", "c3", "c4");
        assertThat(run.report()).hasSize(4).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
    }

    @Test
    void cancelJobsAlsoCancelsTheJobsInFlightAtTheService(CapturedOutput output) throws Exception {
        // given
        BatchRun run = slowRun("prompt\nj1\nj2\n");
        child = run.startInOwnJvm("run.log", args(run));
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 2);

        // when
        int cancelled = run.cancel("--cancel-jobs", CREDENTIALS[0], CREDENTIALS[1]);
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        String log = Files.readString(dir.resolve("run.log"));
        int resumed = run.against(simulator, CREDENTIALS);

        // then: both jobs deleted at the service, their rows failed with the reason, nothing sent again
        assertThat(cancelled).isZero();
        assertThat(exited).as(log).isTrue();
        assertThat(log).contains("2 jobs cancelled at the service, 0 left in flight");
        assertThat(simulator.requestCount("delete")).isEqualTo(2);
        assertThat(resumed).isEqualTo(3);
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("j1", "j2");
        assertThat(run.report()).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("FAILED");
            assertThat(r.get("diagnosis")).contains("cancelled at your request");
        });
    }

    @Test
    void cancelWithNothingRunningSaysSo(CapturedOutput output) throws Exception {
        BatchRun run = slowRun("prompt\nn1\n");
        int exit = run.cancel(CREDENTIALS);
        assertThat(exit).isZero();
        assertThat(output.getOut()).contains("no run of " + run.input + " is running");
    }

    private BatchRun slowRun(String csv) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(12)); // outlasts cancel's own start-up
        simulator = new SoraSimulator(settings, "pg-cancel").start();
        return runOf(csv);
    }

    private String[] args(BatchRun run, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "--sora.endpoint=" + simulator.baseUrl(), "--sora.api-key=pg-cancel", CREDENTIALS[0], CREDENTIALS[1]));
        args.addAll(java.util.List.of(extra));
        return args.toArray(String[]::new);
    }
}
