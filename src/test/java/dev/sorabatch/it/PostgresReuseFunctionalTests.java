package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sorabatch.cli.SoraSimulator;

/** Reuse by content on a PostgreSQL job repository: its queries and its schema upgrade, on the real server. */
class PostgresReuseFunctionalTests extends SimulatedServiceTest {

    private String schema;

    @BeforeEach
    void createSchema() {
        schema = PostgresSchema.create("sora_reuse_", "PostgresReuseFunctionalTests");
    }

    @AfterEach
    void dropSchema() {
        PostgresSchema.drop(schema);
    }

    @Test
    void aReRunOnPostgresSendsOnlyTheEditedRow() throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "pg-reuse-key").start();
        BatchRun run = new BatchRun(dir).repository(PostgresSchema.SERVER + "?currentSchema=" + schema)
                .csv("id,prompt\nlake,A lake\nsea,The sea\n");
        String[] credentials = { "--spring.datasource.username=" + PostgresSchema.USER,
            "--spring.datasource.password=" };
        assertThat(run.against(simulator, credentials)).isZero();

        int unchanged = run.against(simulator, credentials);
        int creates = simulator.requestCount("create");
        run.csv("id,prompt\nlake,A lake\nsea,The sea at night\n");
        int edited = run.against(simulator, credentials);

        assertThat(unchanged).isZero();
        assertThat(creates).isEqualTo(2);
        assertThat(edited).isZero();
        assertThat(simulator.createdPrompts()).containsExactly("A lake", "The sea", "The sea at night");
        assertThat(run.report()).extracting(r -> r.get("reused_from").replaceAll(" \\(started .*", ""))
                .as("the row that paid, not the re-run that reused it").containsExactly("run 1 row 1", "");
    }
}
