package dev.sorabatch.it;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.cli.SoraSimulator;

/**
 * A run in another JVM and a command in this one, sharing a PostgreSQL repository in a schema of the test's own
 * (created before, dropped after: the other JVM is killed first, since its open transactions would hold DROP
 * SCHEMA forever). Needs PostgreSQL on 127.0.0.1:5432 (see .ci/run).
 */
abstract class PostgresTwoProcessTest {

    static final String[] CREDENTIALS = { "--spring.datasource.username=" + PostgresSchema.USER,
            "--spring.datasource.password=" };

    @TempDir
    Path dir;

    SoraSimulator simulator;
    String schema;
    Process child;

    abstract String schemaPrefix();

    @BeforeEach
    void createSchema() {
        schema = PostgresSchema.create(schemaPrefix(), getClass().getSimpleName());
    }

    @AfterEach
    void dropSchema() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        if (simulator != null) {
            simulator.close();
        }
        PostgresSchema.drop(schema);
    }

    /** A run of {@code csv} in {@link #dir} against this test's schema. */
    BatchRun runOf(String csv) throws Exception {
        return new BatchRun(dir).repository(PostgresSchema.SERVER + "?currentSchema=" + schema).csv(csv);
    }
}
