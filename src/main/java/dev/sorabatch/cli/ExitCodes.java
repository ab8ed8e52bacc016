package dev.sorabatch.cli;

/** The process's exit codes, a contract with schedulers and alerting. */
public final class ExitCodes {
    /** Every row succeeded. */
    public static final int ALL_SUCCEEDED = 0;
    /** The run failed (and can be restarted by running the same command again). */
    public static final int RUN_FAILED = 1;
    /** Usage or configuration error: nothing was submitted. */
    public static final int USAGE = 2;
    /** The run finished, but some rows failed or were skipped. */
    public static final int SOME_ROWS_NOT_SUCCEEDED = 3;

    private ExitCodes() {
    }
}
