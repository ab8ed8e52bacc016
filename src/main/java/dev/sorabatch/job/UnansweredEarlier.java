package dev.sorabatch.job;

import java.util.HashMap;
import java.util.Map;

import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.ledger.ReuseRecords;
import dev.sorabatch.ledger.RowStatus;

/**
 * A row whose create went unanswered in an earlier run, at a service that cannot list its jobs, may have been
 * made and billed: a re-run must not send it again on its own (only {@code --resend-unanswered} or
 * {@code --again} do). Looked up by content key among the earlier runs' rows, the latest outcome of each key
 * deciding: a later attempt that was answered (sent again deliberately) settles it.
 */
final class UnansweredEarlier {

    private final ReuseRecords records;
    private final ContentKeys keys;
    /** Content key → the earlier row whose unanswered create is the key's latest outcome; per run. */
    private Map<String, LedgerEntry> unsettled;
    private long loadedFor = -1;

    UnansweredEarlier(ReuseRecords records, ContentKeys keys) {
        this.records = records;
        this.keys = keys;
    }

    /** The earlier row whose unanswered create this row would repeat, or null. */
    LedgerEntry of(long runId, String key) {
        if (loadedFor != runId) {
            unsettled = new HashMap<>();
            for (LedgerEntry entry : records.unansweredAndLater(runId)) {
                String itsKey = keys.of(entry);
                if (entry.status() == RowStatus.FAILED && "unanswered_create".equals(entry.errorCode())) {
                    unsettled.put(itsKey, entry);
                } else if (entry.jobId() != null || entry.status() == RowStatus.SUCCEEDED) {
                    unsettled.remove(itsKey); // answered later: settled
                }
            }
            loadedFor = runId;
        }
        return unsettled.get(key);
    }
}
