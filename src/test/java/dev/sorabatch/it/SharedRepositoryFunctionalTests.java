package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/**
 * A job repository another process holds, or one that cannot be reached: one line that says what to do, exit 2,
 * nothing sent; never a page of stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class SharedRepositoryFunctionalTests extends SimulatedServiceTest {

    @Test
    void aSecondCsvRunFromTheSameFolderIsToldInOneLineWhatToDo(CapturedOutput output) throws Exception {
        // given: a run in its own JVM holds the folder's H2 repository
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(3));
        simulator = new SoraSimulator(settings, "shared-key").start();
        BatchRun first = new BatchRun(dir).csv("prompt\nfirst 1\nfirst 2\n");
        Process holder = first.startInOwnJvm("first.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=shared-key");
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 1);
        Files.writeString(dir.resolve("other.csv"), "prompt\nother 1\n");

        // when: another CSV from the same folder (same repository)
        int exit = first.against(simulator, "--input=" + dir.resolve("other.csv"), "--output=" + dir.resolve("out-b"));

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr().strip()).doesNotContain("\tat ").doesNotContain("Caused by")
                .contains("the job repository is in use by another sora-batch process")
                .contains("give it its own repository").satisfies(err -> assertThat(err.lines()).hasSize(1));
        assertThat(output.getOut()).doesNotContain("\tat ");
        assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(holder.exitValue()).as(Files.readString(dir.resolve("first.log"))).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("first 1", "first 2");
    }

    @Test
    void aRepositoryThatCannotBeReachedIsOneLine(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "shared-key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\n").repository("jdbc:postgresql://127.0.0.1:1/none");

        int exit = run.against(simulator);

        assertThat(exit).as("not a usage error: the same command resumes once the database is back").isEqualTo(1);
        assertThat(output.getErr().strip()).startsWith("sora-batch: the job repository could not be opened")
                .contains("127.0.0.1:1").doesNotContain("\tat ").satisfies(err -> assertThat(err.lines()).hasSize(1));
        assertThat(simulator.createdPrompts()).isEmpty();
    }
}
