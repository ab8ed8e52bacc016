package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.SoraSimulator;

/** A real process, killed with SIGKILL mid-run, then the same command run again. */
@ExtendWith(OutputCaptureExtension.class)
class KilledRunFunctionalTests {

    @TempDir
    Path dir;

    private SoraSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
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
    }
}
