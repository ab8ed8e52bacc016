package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/**
 * Two working directories (each its own job repository, as two teams or two machines would have) sending the same
 * prompts to one resource, which loses half the create answers: a lost answer must never adopt the other
 * directory's job.
 */
class TwoRepositoriesOneResourceFunctionalTests extends SimulatedServiceTest {

    private static final Pattern JOB_ID = Pattern.compile("task_[0-9a-z]+");

    @Test
    void aLostCreateAnswerNeverAdoptsAJobOfAnotherRepository() throws Exception {
        // given
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setLostCreateResponseRate(0.5);
        settings.setSeed(11);
        simulator = new SoraSimulator(settings, "shared-key").start();
        StringBuilder csv = new StringBuilder("prompt\n");
        for (int i = 1; i <= 6; i++) {
            csv.append("the same clip ").append(i).append('\n');
        }
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        BatchRun a = new BatchRun(dir.resolve("a")).csv(csv.toString());
        BatchRun b = new BatchRun(dir.resolve("b")).csv(csv.toString());

        // when: both at once, each in its own JVM as two users would run them
        String[] service = { "--sora.endpoint=" + simulator.baseUrl(), "--sora.api-key=shared-key",
                "--sora.retry.max-attempts=10" };
        Process first = a.startInOwnJvm("run.log", service);
        Process second = b.startInOwnJvm("run.log", service);
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();

        // then: no job in both reports, and every job paid for is either collected or named by a failed row
        assertThat(a.report()).hasSize(6);
        assertThat(b.report()).hasSize(6);
        List<Map<String, String>> rows = new ArrayList<>(a.report());
        rows.addAll(b.report());
        assertThat(simulator.requestCount("lost-create-response")).isPositive();
        List<String> collected = rows.stream().filter(r -> r.get("status").equals("SUCCEEDED"))
                .map(r -> r.get("job_id")).toList();
        assertThat(collected).doesNotHaveDuplicates();
        Set<String> unclaimed = new HashSet<>();
        for (Map<String, String> row : rows) {
            if (!row.get("status").equals("SUCCEEDED")) {
                assertThat(row.get("error_code")).as(row.toString()).isEqualTo("ambiguous_orphan");
                Matcher ids = JOB_ID.matcher(row.get("diagnosis"));
                while (ids.find()) {
                    unclaimed.add(ids.group());
                }
            }
        }
        // (a job named as ambiguous by one directory may be the one the other collected: it is in no ledger the
        // first can see, so it cannot be told from its own)
        Set<String> accounted = new HashSet<>(collected);
        accounted.addAll(unclaimed);
        assertThat(accounted).hasSize(simulator.createdPrompts().size());
    }
}
