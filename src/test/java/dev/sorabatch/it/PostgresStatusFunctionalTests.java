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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code status} on a PostgreSQL repository while a run in another JVM holds it: the run is listed as running,
 * with the ledger's live counts, and status takes no lock (the run finishes untouched). Needs PostgreSQL on
 * 127.0.0.1:5432 (see .ci/run); skipped without one.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresStatusFunctionalTests extends PostgresTwoProcessTest {

    private static final String SERVER = PostgresSchema.SERVER;
    private static final String USER = PostgresSchema.USER;

    @Override
    String schemaPrefix() {
        return "sora_status_";
    }

    @Test
    void statusDuringARunInAnotherJvmShowsItRunningWithLiveCounts(CapturedOutput output) throws Exception {
        // given: a run of two rows in its own JVM, its jobs slow enough to watch
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(15)); // outlasts status's own start-up
        simulator = new SoraSimulator(settings, "pg-status").start();
        BatchRun run = new BatchRun(dir).repository(SERVER + "?currentSchema=" + schema).csv("prompt\np1\np2\n");
        String[] credentials = { "--spring.datasource.username=" + USER, "--spring.datasource.password=" };
        child = run.startInOwnJvm("run.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=pg-status", credentials[0], credentials[1]);
        // a row is in the ledger (SUBMITTING) before its create is sent
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 1);

        // when
        int mark = output.getOut().length();
        int exit = run.status("--json", credentials[0], credentials[1]);
        JsonNode live = JsonMapper.builder().build().readTree(output.getOut().substring(mark)).get(0);
        mark = output.getOut().length();
        run.status(credentials);
        String text = output.getOut().substring(mark);

        // then
        assertThat(exit).isZero();
        assertThat(live.get("state").asString()).isEqualTo("STARTED");
        assertThat(live.get("runningIn").asString()).isEqualTo(child.pid() + "@" + java.net.InetAddress
                .getLocalHost().getHostName());
        assertThat(live.get("rows").get("inFlight").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(live.get("rows").get("succeeded").asInt()).isZero();
        assertThat(text).contains("RUNNING in process " + child.pid());
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("run.log"))).isZero();
        mark = output.getOut().length();
        run.status("--json", credentials[0], credentials[1]);
        JsonNode done = JsonMapper.builder().build().readTree(output.getOut().substring(mark)).get(0);
        assertThat(done.get("state").asString()).isEqualTo("COMPLETED");
        assertThat(done.get("rows").get("succeeded").asInt()).isEqualTo(2);
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("p1", "p2");
    }
}
