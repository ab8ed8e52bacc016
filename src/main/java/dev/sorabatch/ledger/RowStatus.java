package dev.sorabatch.ledger;

/** Where a row is in its life. The last three are the report's statuses. */
public enum RowStatus {
    /** The create is being sent: if the process dies now, the job may exist without its id recorded. */
    SUBMITTING,
    /** The service accepted it; its job id is recorded and it is being polled. */
    SUBMITTED,
    SUCCEEDED,
    FAILED,
    SKIPPED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED;
    }
}
