package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/** Several Azure resources at once ({@code sora.endpoints}), each with its own key, cap and quota. */
@ExtendWith(OutputCaptureExtension.class)
class MultiEndpointFunctionalTests extends SimulatedServiceTest {

    private SoraSimulator second;

    @AfterEach
    void closeSecond() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void rowsAreSpreadOverTheEndpointsAndEachJobIsCollectedWhereItWasSent() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(800));
        simulator = new SoraSimulator(settings, "key-east").start();
        second = new SoraSimulator(settings, "key-west").start();
        BatchRun run = new BatchRun(dir).csv("prompt\n" + rows("r", 12));

        int exit = run.run(endpoints("east", simulator, "key-east", "west", second, "key-west"));

        assertThat(exit).isZero();
        assertThat(run.report()).hasSize(12).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(simulator.createdPrompts()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(second.createdPrompts()).hasSizeGreaterThanOrEqualTo(3);
        List<String> all = new ArrayList<>(simulator.createdPrompts());
        all.addAll(second.createdPrompts());
        assertThat(all).hasSize(12).doesNotHaveDuplicates();
        // each resource's own cap held
        assertThat(simulator.maxConcurrentJobs()).isLessThanOrEqualTo(2);
        assertThat(second.maxConcurrentJobs()).isLessThanOrEqualTo(2);
    }

    @Test
    void anEndpointThatRefusesItsKeyLeavesTheRotationAndTheOthersGoOn(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "key-east").start();
        second = new SoraSimulator(BatchRun.fastSimulator(), "key-west").start();
        BatchRun run = new BatchRun(dir).csv("prompt\n" + rows("r", 6));

        int exit = run.run(endpoints("east", simulator, "rotated-away-key", "west", second, "key-west"));

        assertThat(exit).isZero();
        assertThat(run.report()).hasSize(6).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(simulator.createdPrompts()).isEmpty();
        assertThat(second.createdPrompts()).hasSize(6);
        assertThat(output.getOut()).contains("endpoint east taken out of rotation: The service refused the API key");
        assertThat(output.getAll()).doesNotContain("rotated-away-key");
    }

    @Test
    void whenEveryEndpointIsOutTheRunStopsWithEachDiagnosis(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "key-east").start();
        second = new SoraSimulator(BatchRun.fastSimulator(), "key-west").start();
        BatchRun run = new BatchRun(dir).csv("prompt\n" + rows("r", 4));

        int exit = run.run(endpoints("east", simulator, "wrong-1", "west", second, "wrong-2"));

        assertThat(exit).isEqualTo(1);
        assertThat(output.getErr()).contains("Every endpoint was taken out of rotation: east: The service refused")
                .contains("west: The service refused");
    }

    @Test
    void aKilledRunCollectsEachJobFromItsOwnEndpointWithoutPayingTwice() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1500));
        simulator = new SoraSimulator(settings, "key-east").start();
        second = new SoraSimulator(settings, "key-west").start();
        BatchRun run = new BatchRun(dir).csv("prompt\n" + rows("k", 8));
        String[] args = endpoints("east", simulator, "key-east", "west", second, "key-west");
        Process child = run.startInOwnJvm("killed.log", args);
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() + second.createdPrompts().size() >= 4);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        int exit = run.run(args);

        assertThat(exit).as(Files.readString(dir.resolve("killed.log"))).isZero();
        assertThat(run.report()).hasSize(8).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        List<String> all = new ArrayList<>(simulator.createdPrompts());
        all.addAll(second.createdPrompts());
        assertThat(all).hasSize(8).doesNotHaveDuplicates();
    }

    private static String rows(String prefix, int n) {
        StringBuilder csv = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            csv.append(prefix).append(i).append('\n');
        }
        return csv.toString();
    }

    private static String[] endpoints(String firstName, SoraSimulator first, String firstKey, String secondName,
            SoraSimulator second, String secondKey) {
        return new String[] { "--sora.endpoint=", "--sora.api-key=",
                "--sora.endpoints[0].name=" + firstName, "--sora.endpoints[0].endpoint=" + first.baseUrl(),
                "--sora.endpoints[0].api-key=" + firstKey, "--sora.endpoints[0].max-in-flight=2",
                "--sora.endpoints[1].name=" + secondName, "--sora.endpoints[1].endpoint=" + second.baseUrl(),
                "--sora.endpoints[1].api-key=" + secondKey, "--sora.endpoints[1].max-in-flight=2" };
    }
}
