package dev.sorabatch.cli;

import java.sql.SQLException;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;

import dev.sorabatch.i18n.Messages;

/**
 * What a process that could not start says: one line with the cause and what to do, never a stack trace (Spring's
 * own report of the failure is switched off in application.yml). A job repository that cannot be opened is named
 * as such: an H2 file another process holds, or a database that cannot be reached.
 */
public final class StartupFailure {

    /** H2's "Database may be already in use": another process has the file open. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private StartupFailure() {
    }

    /**
     * A job repository that cannot be reached is not a usage error: nothing is wrong with the command, and running
     * it again once the database is back resumes (exit 1). Everything else that stops the start is (exit 2).
     */
    public static int exitCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                return e.getErrorCode() == H2_DATABASE_ALREADY_OPEN ? ExitCodes.USAGE : ExitCodes.RUN_FAILED;
            }
        }
        return ExitCodes.USAGE;
    }

    /** Whether the start failed because another process holds the H2 job repository. */
    public static boolean h2InUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                return e.getErrorCode() == H2_DATABASE_ALREADY_OPEN;
            }
        }
        return false;
    }

    /**
     * {@code status} or {@code cancel} against an H2 repository a run holds: answered from the runs' status
     * files when there are some, else null.
     */
    public static Integer answerWithoutRepository(Throwable failure, String command, String[] args) {
        if (command == null || !h2InUse(failure)) {
            return null;
        }
        return new BusyH2Commands(System.out).run(command, args, failure).orElse(null);
    }

    public static String describe(Throwable failure) {
        return describe(failure, null);
    }

    /**
     * @param command {@code status} or {@code cancel}, which reach a run in another process and say so differently
     *            when an H2 file is in use; null for a run
     */
    public static String describe(Throwable failure, String command) {
        SQLException sql = null;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof dev.sorabatch.config.PropertyCheck.PropertyException e) {
                return "sora-batch: " + e.getMessage();
            }
            if (t instanceof UnboundConfigurationPropertiesException e) {
                return "sora-batch: " + dev.sorabatch.config.PropertyCheck.describeUnbound(
                        e.getUnboundProperties().stream().map(p -> p.getName().toString()).toList());
            }
            if (sql == null && t instanceof SQLException e) {
                sql = e;
            }
            root = t;
        }
        if (sql != null && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
            return Messages.get(command == null ? "run.repository-in-use" : command + ".repository-in-use",
                    firstLine(sql.getMessage()));
        }
        if (sql != null) {
            return Messages.get("run.repository-unreachable", firstLine(sql.getMessage()));
        }
        return "sora-batch: could not start: " + firstLine(root.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip().lines().findFirst().orElse("");
        // H2 appends its own advice ("Possible solutions: …"), which does not apply here: ours follows.
        int advice = line.indexOf(". Possible solutions");
        return advice > 0 ? line.substring(0, advice) : line;
    }
}
