package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/**
 * "No video is submitted twice": the process is ended like kill -9 at each dangerous moment (and at random ones),
 * then the same command is run again; the service must have seen each row created exactly once and the report
 * must hold every row once, succeeded.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class NeverPayTwiceFunctionalTests extends SimulatedServiceTest {

    private static final String KEY = "never-twice-key";
    private static final int ROWS = 6;

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = { "before-create:2", "after-create:1", "after-create:3", "after-submit:2", "mid-poll:2",
            "mid-download:3", "mid-report:1" })
    void aRunKilledAtThisPointIsResumedWithoutPayingTwice(String crashPoint) throws Exception {
        // given
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv(csv());

        // when: the run dies at that point, then the same command runs again
        Process child = run.startInOwnJvm("crashed.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=" + KEY, "--sora.fault.crash-at=" + crashPoint);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        int crashedExit = child.exitValue();
        int exit = run.against(simulator);

        // then
        assertThat(crashedExit).as(Files.readString(dir.resolve("crashed.log"))).isEqualTo(137);
        assertThat(exit).isZero();
        assertEveryRowPaidOnceAndDelivered(run);
        // Spring Batch's record: the crashed attempt, recovered as FAILED, then the resumed one
        JobRepositoryRecords.Execution crashed = JobRepositoryRecords.of(run).assertResumedOnce(ROWS).get(0);
        assertThat(crashed.status()).isEqualTo("FAILED");
        if (crashPoint.startsWith("mid-report")) {
            // submitting had completed, so the resumed submit step read every row again, sending none
            assertThat(crashed.step("submit").status()).isEqualTo("COMPLETED");
        }
    }

    @Test
    void aRunResumedWithAnotherOutputFolderGoesOnWritingInItsFirstOne(
            org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        // given: a run that dies with two rows submitted, writing to out/
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv(csv());
        Process child = run.startInOwnJvm("crashed.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=" + KEY, "--sora.fault.crash-at=after-submit:2");
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        java.nio.file.Path elsewhere = dir.resolve("elsewhere");

        // when: resumed with another --output
        int exit = run.against(simulator, "--output=" + elsewhere);

        // then: one run, one folder: every video and the report in out/, the new folder unused, and said so
        assertThat(exit).isZero();
        assertEveryRowPaidOnceAndDelivered(run);
        assertThat(output.getOut() + output.getErr()).contains("This run goes on writing where it started: videos in "
                + run.output.toAbsolutePath());
        assertThat(elsewhere.resolve("report.csv")).doesNotExist();
        try (var files = Files.list(run.output)) {
            assertThat(files.filter(f -> f.toString().endsWith(".mp4"))).hasSize(ROWS);
        }
    }

    @Test
    void aRunResumedAfterItsJobsExpiredSubmitsOnlyThoseRowsAgainAndSaysSo() throws Exception {
        // given: a run dies with three jobs in flight, and the service forgets them (24 h later)
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(3));
        settings.setMaxRunningJobs(3);
        simulator = new SoraSimulator(settings, KEY).start();
        BatchRun run = new BatchRun(dir).csv(csv());
        Process child = run.startInOwnJvm("crashed.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=" + KEY, "--sora.max-in-flight=3", "--sora.fault.crash-at=after-submit:3");
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        simulator.expireAllJobs();
        Thread.sleep(1100);

        // when
        int exit = run.against(simulator, "--sora.max-in-flight=3", "--sora.job-retention=1s");

        // then: rows 1-3 were paid twice (their first jobs expired), the others once
        assertThat(exit).isZero();
        List<String> expectedCreates = new ArrayList<>(prompts());
        expectedCreates.addAll(prompts().subList(0, 3));
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrderElementsOf(expectedCreates);
        List<java.util.Map<String, String>> report = run.report();
        assertThat(report).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(report.subList(0, 3)).allSatisfy(r -> assertThat(r.get("diagnosis")).contains("expired at the service")
                .contains("submitted again as job " + r.get("job_id")));
        assertThat(report.subList(3, ROWS)).allSatisfy(r -> assertThat(r.get("diagnosis")).isEmpty());
    }

    @Test
    void runsKilledAtRandomMomentsAgainAndAgainStillPayOnceForEachRow() throws Exception {
        // given
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(900));
        simulator = new SoraSimulator(settings, KEY).start();
        BatchRun run = new BatchRun(dir).csv(csv());
        Random random = new Random(20261124);

        // when: four runs killed after a random time each, then one left to finish
        List<Integer> killedAfterMillis = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Process child = run.startInOwnJvm("killed-" + i + ".log", "--sora.endpoint=" + simulator.baseUrl(),
                    "--sora.api-key=" + KEY);
            int wait = 1500 + random.nextInt(2000);
            killedAfterMillis.add(wait);
            if (!child.waitFor(wait, TimeUnit.MILLISECONDS)) {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
        }
        int exit = run.against(simulator);

        // then
        assertThat(exit).as("killed after %s ms", killedAfterMillis).isZero();
        assertEveryRowPaidOnceAndDelivered(run);
    }

    private void assertEveryRowPaidOnceAndDelivered(BatchRun run) throws Exception {
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrderElementsOf(prompts());
        assertThat(run.report()).extracting(r -> r.get("row")).containsExactlyElementsOf(
                IntStream.rangeClosed(1, ROWS).mapToObj(Integer::toString).toList());
        assertThat(run.report()).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        long sample = getClass().getClassLoader().getResourceAsStream("simulator/sample.mp4").readAllBytes().length;
        for (int i = 1; i <= ROWS; i++) {
            assertThat(Files.size(run.output.resolve(String.format("row-%04d.mp4", i)))).isEqualTo(sample);
        }
        try (var files = Files.list(run.output)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    private static List<String> prompts() {
        return IntStream.rangeClosed(1, ROWS).mapToObj(i -> "video " + i).toList();
    }

    private static String csv() {
        return "prompt\n" + prompts().stream().collect(Collectors.joining("\n")) + "\n";
    }
}
