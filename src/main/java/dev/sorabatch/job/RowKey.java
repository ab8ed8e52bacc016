package dev.sorabatch.job;

import dev.sorabatch.ledger.LedgerEntry;

/** The key ("run:row") by which the collector's in-memory sets and maps know one row of one run. */
final class RowKey {

    private RowKey() {
    }

    static String of(long runId, int row) {
        return runId + ":" + row;
    }

    static String of(LedgerEntry entry) {
        return of(entry.runId(), entry.rowNum());
    }

    /** The row this key names if it is of run {@code runId}, else null. */
    static Integer rowOf(String key, long runId) {
        String prefix = runId + ":";
        return key.startsWith(prefix) ? Integer.valueOf(key.substring(prefix.length())) : null;
    }
}
