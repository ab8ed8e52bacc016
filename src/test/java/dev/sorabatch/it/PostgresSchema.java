package dev.sorabatch.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/** A schema of its own on the test PostgreSQL server (127.0.0.1:5432, trust auth, database {@code test}) per test. */
final class PostgresSchema {

    static final String SERVER = System.getProperty("sora.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("sora.test.postgres.user", "postgres");

    private PostgresSchema() {
    }

    /** Creates a fresh schema, or skips the test (fails it under CI=true) without a server. */
    static String create(String prefix, String testName) {
        String schema = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER, USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            Prerequisites.require(false, "PostgreSQL at " + SERVER + " as " + USER + " (" + e.getMessage()
                    + ", " + testName + ")", "apt-get install -y postgresql, then start it: "
                    + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (.ci/run does)");
        }
        return schema;
    }

    static void drop(String schema) {
        try (Connection c = DriverManager.getConnection(SERVER, USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (java.sql.SQLException ignored) {
            // nothing to clean when the server is absent
        }
    }
}
