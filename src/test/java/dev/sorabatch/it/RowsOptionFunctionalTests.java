package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.cli.SoraSimulator;

/** {@code --rows}: a run limited to some rows of the CSV, which is a run of its own and resumes as one. */
@ExtendWith(OutputCaptureExtension.class)
class RowsOptionFunctionalTests extends SimulatedServiceTest {

    private static final String CSV = "prompt\nr1\nr2\n\nr3\nr4\nr5\nr6\n";

    @Test
    void onlyTheSelectedRowsAreSentCountedAndReportedUnderTheirOwnNumbers(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "rows-key").start();
        BatchRun run = new BatchRun(dir).csv(CSV);

        int exit = run.against(simulator, "--rows=4-5,2");

        assertThat(exit).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("r2", "r4", "r5");
        assertThat(run.report()).extracting(r -> r.get("row") + ":" + r.get("prompt") + ":" + r.get("status"))
                .containsExactly("2:r2:SUCCEEDED", "4:r4:SUCCEEDED", "5:r5:SUCCEEDED");
        assertThat(output.getOut()).contains("3 succeeded, 0 failed, 0 skipped");
    }

    @Test
    void aBadSpecExits2NamingTheFlagAndAnExample(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "rows-key").start();
        BatchRun run = new BatchRun(dir).csv(CSV);

        int exit = run.against(simulator, "--rows=2,5-x");
        int backwards = run.against(simulator, "--rows=5-2");

        assertThat(exit).isEqualTo(2);
        assertThat(backwards).isEqualTo(2);
        assertThat(output.getErr()).contains("--rows: '5-x' is not a row number or a range")
                .contains("e.g. --rows=1-10,15").contains("--rows: '5-2' ends before it starts");
        assertThat(simulator.createdPrompts()).isEmpty();
    }

    @Test
    void theDryRunChecksAndCountsOnlyTheSelectedRows(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv("prompt,n_seconds\nok,5\nbad,abc\nalso ok,3\n");

        int exit = run.run("--dry-run", "--rows=1,3");

        assertThat(exit).isZero();
        assertThat(output.getOut()).contains("2 rows, 2 would be sent, 0 would be skipped")
                .contains("8 s of video").contains("only rows 1,3 of the file (--rows)");
    }

    @Test
    void theSameRowsAgainResumeTheKilledRunAndOtherRowsAreAnotherRun(CapturedOutput output) throws Exception {
        // given: a run of rows 2, 4 and 5 killed right after its second job was recorded
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "rows-key").start();
        BatchRun run = new BatchRun(dir).csv(CSV);
        Process killed = run.startInOwnJvm("killed.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=rows-key", "--rows=2,4-5", "--sora.fault.crash-at=after-submit:2");
        assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(killed.exitValue()).as(Files.readString(dir.resolve("killed.log"))).isEqualTo(137);
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("r2", "r4");

        // when: the same selection (written differently), then another one
        int resumed = run.against(simulator, "--rows=4-5,2");
        int resumedCreates = simulator.createdPrompts().size();
        int other = run.against(simulator, "--rows=1-2");

        // then: the resumed run sent only row 5; rows 1-2 are a run of their own, which sends row 1 and reuses the
        // video the first run delivered for row 2
        assertThat(resumed).isZero();
        assertThat(output.getOut() + output.getErr()).contains("recovering it");
        assertThat(resumedCreates).isEqualTo(3);
        assertThat(other).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("r2", "r4", "r5", "r1");
        assertThat(run.report()).extracting(r -> r.get("row")).containsExactly("1", "2");
        assertThat(run.report().get(1).get("reused_from")).startsWith("run 1 (rows 2,4-5) row 2 (started ");
    }
}
