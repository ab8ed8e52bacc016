package dev.sorabatch.csv;

/** What one service accepts of a row, checked before anything is paid for; each provider has its own. */
@FunctionalInterface
public interface RowRules {

    /** @throws InvalidRowException naming the column, the value and what is allowed */
    void check(CsvRow row, VideoRequest request);
}
