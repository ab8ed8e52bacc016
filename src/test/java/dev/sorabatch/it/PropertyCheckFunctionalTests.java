package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.cli.SoraSimulator;

/** A setting that would be ignored is refused before anything is sent. */
@ExtendWith(OutputCaptureExtension.class)
class PropertyCheckFunctionalTests extends SimulatedServiceTest {

    @Test
    void aMistypedPropertyExitsWith2AndSendsNothing(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\n");

        int exit = run.against(simulator, "--sora.max-inflite=4");

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("unknown property sora.max-inflite (did you mean sora.max-in-flight?)")
                .doesNotContain("\tat ");
        assertThat(simulator.createdPrompts()).isEmpty();
    }

    @Test
    void aMistypedFieldOfAnEndpointInTheListIsNamedWithTheNearestOneInOneLine(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\n");

        int exit = run.against(simulator, "--sora.endpoints[0].endpoint=" + simulator.baseUrl(),
                "--sora.endpoints[0].api-kye=key");

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr())
                .contains("unknown property sora.endpoints[0].api-kye (did you mean sora.endpoints[0].api-key?)");
        assertThat(output.toString()).doesNotContain("APPLICATION FAILED TO START").doesNotContain("\tat ");
        assertThat(simulator.createdPrompts()).isEmpty();
    }

    @Test
    void aMistypedPropertyInDotEnvIsRefusedToo(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\n");
        Files.writeString(dir.resolve(".env"), "SORA_MAX_IN_FLIHGT=4\n");

        assertThat(run.against(simulator)).isEqualTo(2);
        assertThat(output.getErr()).contains("unknown property SORA_MAX_IN_FLIHGT (did you mean SORA_MAX_IN_FLIGHT?)")
                .contains(".env");
    }

    @Test
    void propertiesReadOneByOneAndRelaxedSpellingsRunNormally() throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\n");

        int exit = run.against(simulator, "--sora.submit-chunk=2", "--sora.progress=log", "--sora.shutdown-grace=20s",
                "--sora.maxInFlight=1", "--sora.pricing.per-second.480x480=0.05", "--max-cost=10");

        assertThat(exit).isZero();
        assertThat(simulator.createdPrompts()).containsExactly("a");
    }

    @Test
    void aCostBudgetWithRowsOfASizeWithoutAPriceIsRefusedUpFront(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "key").start();
        BatchRun run = new BatchRun(dir).csv("prompt,size\na,1280x720\nb,\nc,854x480\n");

        int exit = run.against(simulator, "--max-cost=5", "--sora.pricing.per-second.854x480=0.05");

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("rows of size 1280x720, 480x480 have none")
                .contains("--sora.pricing.per-second.1280x720=");
        assertThat(simulator.createdPrompts()).isEmpty();
    }
}
