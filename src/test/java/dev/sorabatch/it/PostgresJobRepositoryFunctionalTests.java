package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/**
 * The job repository and ledger on PostgreSQL (the production setup): schema created on first use, and a failed
 * run resumed without paying twice. Needs a server on 127.0.0.1:5432 (see .ci/run); skipped without one.
 */
class PostgresJobRepositoryFunctionalTests {

    private static final String SERVER = PostgresSchema.SERVER;
    private static final String USER = PostgresSchema.USER;

    @TempDir
    Path dir;

    private SoraSimulator simulator;
    private String schema;

    @BeforeEach
    void createSchema() {
        schema = PostgresSchema.create("sora_it_", "PostgresJobRepositoryFunctionalTests");
    }

    @AfterEach
    void dropSchema() {
        if (simulator != null) {
            simulator.close();
        }
        PostgresSchema.drop(schema);
    }

    @Test
    void aKilledRunOnPostgresIsRecoveredAndResumedWithoutPayingTwice() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1500));
        simulator = new SoraSimulator(settings, "pg-key").start();
        BatchRun run = pgRun().csv("prompt\nk1\nk2\nk3\nk4\nk5\n");
        Process child = run.startInOwnJvm("killed.log", credentials("--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=pg-key"));
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 3);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        int exit = run.against(simulator, credentials());

        assertThat(exit).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("k1", "k2", "k3", "k4", "k5");
        assertThat(run.report()).hasSize(5).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
    }

    @Test
    void aSecondLaunchOfAnInputRunningOnPostgresIsRefused() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofSeconds(2));
        simulator = new SoraSimulator(settings, "pg-key").start();
        BatchRun run = pgRun().csv("prompt\na\nb\n");
        Process first = run.startInOwnJvm("first.log", credentials("--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=pg-key"));
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 1);

        int second = run.against(simulator, credentials());

        assertThat(second).isEqualTo(2);
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("a", "b");
    }

    private BatchRun pgRun() {
        return new BatchRun(dir).repository(SERVER + "?currentSchema=" + schema);
    }

    private static String[] credentials(String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(more));
        args.add("--spring.datasource.username=" + USER);
        args.add("--spring.datasource.password=");
        return args.toArray(String[]::new);
    }

    @Test
    void restartOnPostgresFinishesTheRestWithoutPayingTwice() throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1500));
        simulator = new SoraSimulator(settings, "pg-key").start();
        BatchRun run = new BatchRun(dir).repository(SERVER + "?currentSchema=" + schema).csv("prompt\np1\np2\np3\np4\np5\n");
        String[] credentials = { "--spring.datasource.username=" + USER, "--spring.datasource.password=" };
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> run.against(simulator, credentials));
        CoreJobFunctionalTests.await(() -> simulator.createdPrompts().size() >= 2);
        simulator.revokeKey(true);
        int firstExit = first.get(60, TimeUnit.SECONDS);
        simulator.revokeKey(false);

        int secondExit = run.against(simulator, credentials);

        assertThat(firstExit).isEqualTo(1);
        assertThat(secondExit).isZero();
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("p1", "p2", "p3", "p4", "p5");
        assertThat(run.report()).hasSize(5).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        try (Connection c = DriverManager.getConnection(SERVER, USER, ""); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM " + schema + ".batch_job_execution")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }
}
