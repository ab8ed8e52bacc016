package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/**
 * {@code --schedule}: nights compressed into seconds with {@code sora.schedule.time-scale}, ended after a number
 * of runs with {@code sora.schedule.max-runs}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScheduleFunctionalTests extends SimulatedServiceTest {

    private static final Pattern SCHEDULED_RUN = Pattern.compile("scheduled run (\\S+) of ");

    @Test
    void eachNightIsARunOfItsOwnWithItsOwnFolder(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "nightly-key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\nmoon\nsea\n");

        // a day passes in 6 s
        int exit = run.against(simulator, "--schedule=0 0 2 * * *", "--sora.schedule.time-scale=14400",
                "--sora.schedule.max-runs=2");

        assertThat(exit).isZero();
        List<String> labels = labels(output.getOut());
        assertThat(labels).hasSize(2);
        assertThat(labels).allMatch(l -> l.matches("\\d{4}-\\d{2}-\\d{2}"));
        assertThat(java.time.LocalDate.parse(labels.get(1))).isAfter(java.time.LocalDate.parse(labels.get(0)));
        for (String label : labels) {
            List<Map<String, String>> report = BatchRun.report(run.output.resolve(label).resolve("report.csv"));
            assertThat(report).hasSize(2).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
            assertThat(Path.of(report.get(0).get("video_files"))).exists().hasParent(run.output.resolve(label));
            assertThat(run.output.resolve(label).resolve("report.html")).exists();
        }
        // the same CSV, two runs: a fresh identity each night, so each night generates its videos
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("moon", "sea", "moon", "sea");
        assertThat(output.getOut()).contains("next run at ").contains("02:00:00");
    }

    @Test
    void aTickThatComesWhileARunIsGoingIsSkippedNeverOverlapped(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(2500));
        simulator = new SoraSimulator(settings, "hourly-key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\nrain\n");

        // hourly, an hour passes in 1 s, a run takes about 3 s
        int exit = run.against(simulator, "--schedule=0 0 * * * *", "--sora.schedule.time-scale=3600",
                "--sora.schedule.max-runs=2");

        assertThat(exit).isZero();
        List<String> labels = labels(output.getOut());
        assertThat(labels).hasSize(2).allMatch(l -> l.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}-00-00"));
        assertThat(output.getOut()).containsPattern("the run of " + Pattern.quote(labels.get(0))
                + " was still going at .*; (that run was|those runs were) skipped \\(runs never overlap\\)");
        assertThat(simulator.maxConcurrentJobs()).isEqualTo(1);
        assertThat(simulator.createdPrompts()).containsExactly("rain", "rain");
    }

    @Test
    void aScheduledRunKilledMidwayIsResumedFirstWhenTheSchedulerStartsAgain(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1500));
        simulator = new SoraSimulator(settings, "resume-key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\nk1\nk2\nk3\nk4\n");
        Process child = run.startInOwnJvm("scheduler.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=resume-key", "--schedule=0 0 2 * * *", "--sora.schedule.time-scale=86400");
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 2);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> paidBeforeKill = simulator.createdPrompts();
        Matcher killed = SCHEDULED_RUN.matcher(Files.readString(dir.resolve("scheduler.log")));
        assertThat(killed.find()).isTrue();

        int exit = run.against(simulator, "--schedule=0 0 2 * * *", "--sora.schedule.max-runs=1");

        assertThat(exit).isZero();
        assertThat(output.getOut()).contains("the scheduled run " + killed.group(1) + " did not finish; resuming it now");
        List<Map<String, String>> report = BatchRun.report(run.output.resolve(killed.group(1)).resolve("report.csv"));
        assertThat(report).hasSize(4).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(paidBeforeKill).isNotEmpty();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("k1", "k2", "k3", "k4");
    }

    @Test
    void aScheduleThatIsNotACronIsRefusedWithAnExample(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv("prompt\nx\n");

        int exit = run.run("--simulate", "--schedule=0 2 * * *");

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("is not a cron expression").contains("six fields")
                .contains("\"0 0 2 * * *\" is 02:00 every day");
    }

    private static List<String> labels(String out) {
        Matcher m = SCHEDULED_RUN.matcher(out);
        List<String> labels = new java.util.ArrayList<>();
        while (m.find()) {
            labels.add(m.group(1));
        }
        return labels;
    }
}
