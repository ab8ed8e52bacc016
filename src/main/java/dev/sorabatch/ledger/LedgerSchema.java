package dev.sorabatch.ledger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * The ledger's schema, as Flyway migrations in {@code db/migration}: version 1 the tables, each later version one
 * change, applied once per job repository and recorded in its {@code flyway_schema_history}. Run before the
 * ledger is used, by the job's configuration and by the tests, on H2 and PostgreSQL alike.
 */
public final class LedgerSchema {

    private LedgerSchema() {
    }

    /**
     * Brings the ledger's tables up to this version. A repository made before the schema history existed (it
     * holds Spring Batch's tables, perhaps an older ledger) is baselined at version 0, so every version is applied
     * to it; each is written to be a no-op where its change is already there.
     */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
