package dev.sorabatch.report;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.csv.MalformedRowException;
import dev.sorabatch.csv.PromptCsvReader;
import dev.sorabatch.csv.RowSelection;
import dev.sorabatch.files.AtomicFiles;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.ledger.RowStatus;
import dev.sorabatch.pricing.RowCost;
import dev.sorabatch.pricing.RowPrices;

/**
 * Writes the report: one line per input row, in input order, whatever happened to it. The input is read again
 * beside the ledger, so a row the run never reached still has its line ({@code PENDING}) and none is missing.
 * Written atomically: a report under its final name is complete. A run limited with {@code --rows} reports its
 * selected rows only, under their numbers in the file.
 */
public class ReportWriter {

    public static final List<String> COLUMNS = List.of("row", "id", "prompt", "image_url", "status", "job_id",
            "generation_ids", "video_files", "thumbnail_files", "http_status", "error_code", "error_message",
            "diagnosis", "attempts", "submitted_at", "finished_at", "duration_s", "width", "height", "n_seconds",
            "n_variants", "apim_request_id", "cost", "reused_from");

    /** In the totals {@link #write} returns: the rows an earlier run's video stands for (counted as SUCCEEDED too). */
    public static final String REUSED = "REUSED";

    /** Status of a row the run has not finished (only in the report of a run that stopped early). */
    public static final String PENDING = "PENDING";

    /** What a row sent and not delivered costs: the services bill the videos they deliver, not failed jobs. */
    static final String NOTHING_DELIVERED = RowCost.text(BigDecimal.ZERO);

    private final Ledger ledger;
    private final HtmlReportWriter html;
    /** {@code sora.pricing.per-second.<WxH>}: the price of a row an earlier version sent without recording one. */
    private final Map<String, BigDecimal> pricesPerSecond;

    public ReportWriter(Ledger ledger, HtmlReportWriter html, Map<String, BigDecimal> pricesPerSecond) {
        this.ledger = ledger;
        this.html = html;
        this.pricesPerSecond = pricesPerSecond;
    }

    /**
     * Writes the CSV report, then the HTML report beside it from the CSV.
     *
     * @param started when this attempt of the run started (for the wall time), or null
     * @return how many lines the report has per status
     */
    public Map<String, Integer> write(long runId, Path input, Path report, boolean runFinished, Instant started)
            throws IOException {
        return write(runId, input, null, report, runFinished, started);
    }

    /** @param rows the rows the run is limited to ({@code --rows}), or null for all */
    public Map<String, Integer> write(long runId, Path input, RowSelection rows, Path report, boolean runFinished,
            Instant started) throws IOException {
        Set<String> unpriced = new TreeSet<>();
        Map<String, Integer> totals = writeCsv(runId, input, rows, report, runFinished, unpriced);
        html.write(report, HtmlReportWriter.besideCsv(report),
                new HtmlReportWriter.RunFacts(input.toString(), started, unpriced));
        return totals;
    }

    /** @param unpriced filled with what the delivered rows without a known price were priced by */
    private Map<String, Integer> writeCsv(long runId, Path input, RowSelection rows, Path report,
            boolean runFinished, Set<String> unpriced) throws IOException {
        Map<String, Integer> totals = new TreeMap<>();
        AtomicFiles.write(report, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            ICSVWriter csv = new CSVWriter(writer, ',', '"', '"', "\n");
            csv.writeNext(COLUMNS.toArray(String[]::new), false);
            PromptCsvReader reader = new PromptCsvReader(input, rows);
            reader.open(new ExecutionContext());
            try (Stream<LedgerEntry> entries = ledger.streamInOrder(runId)) {
                Iterator<LedgerEntry> ledgerRows = entries.iterator();
                LedgerEntry next = ledgerRows.hasNext() ? ledgerRows.next() : null;
                while (true) {
                    CsvRow row = null;
                    int rowNumber;
                    long fileLine;
                    try {
                        row = reader.read();
                        if (row == null) {
                            break;
                        }
                        rowNumber = row.rowNumber();
                        fileLine = row.line();
                    } catch (MalformedRowException e) {
                        rowNumber = e.rowNumber();
                        fileLine = e.line();
                    } catch (Exception e) {
                        throw new IOException("cannot read " + input + " again for the report: " + e.getMessage(), e);
                    }
                    while (next != null && next.rowNum() < rowNumber) {
                        count(csv, line(next, unpriced), totals);
                        next = ledgerRows.hasNext() ? ledgerRows.next() : null;
                    }
                    if (next != null && next.rowNum() == rowNumber) {
                        count(csv, line(next, unpriced), totals);
                        next = ledgerRows.hasNext() ? ledgerRows.next() : null;
                    } else {
                        // an unreadable row the run has not reached (and so not recorded) has its line too
                        count(csv, pending(rowNumber, fileLine, row, runFinished), totals);
                    }
                }
                while (next != null) {
                    count(csv, line(next, unpriced), totals);
                    next = ledgerRows.hasNext() ? ledgerRows.next() : null;
                }
            } finally {
                reader.close();
            }
            csv.flush();
        });
        return totals;
    }

    private static void count(ICSVWriter csv, String[] line, Map<String, Integer> totals) {
        csv.writeNext(line, false);
        totals.merge(line[4], 1, Integer::sum);
        if (!line[line.length - 1].isEmpty()) {
            totals.merge(REUSED, 1, Integer::sum);
        }
    }

    private String[] line(LedgerEntry e, Set<String> unpriced) {
        String status = e.status().isTerminal() ? e.status().name() : PENDING;
        String diagnosis = e.diagnosis();
        if (!e.status().isTerminal()) {
            diagnosis = e.jobId() == null ? Messages.get("report.unfinished-submitting")
                    : Messages.get("report.unfinished", e.jobId(), e.jobStatus());
        } else if (diagnosis == null) {
            diagnosis = e.note();
        }
        Long submitted = e.submittedAt() != null ? e.submittedAt() : e.submittingAt();
        return new String[] { Integer.toString(e.rowNum()), nz(e.rowId()), nz(e.prompt()), nz(e.imageUrl()), status,
                nz(e.jobId()), nz(e.generationIds()), nz(e.videoFiles()), nz(e.thumbnailFiles()),
                e.httpStatus() == null ? "" : e.httpStatus().toString(), nz(e.errorCode()), nz(e.errorMessage()),
                nz(diagnosis), Integer.toString(e.attempts()), time(submitted), time(e.finishedAt()),
                duration(submitted, e.finishedAt()), num(e.width()), num(e.height()), num(e.nSeconds()),
                num(e.nVariants()), nz(e.requestId()), cost(e, unpriced), nz(e.reusedFrom()) };
    }

    /**
     * {@code 0.80 USD}: the price of the videos a row delivered, or of a job still at the service; {@code 0.00 USD}
     * for a row sent that failed and for a row that reused an earlier run's video (paid for in that run);
     * {@code unknown} without a price; empty for a row never sent.
     */
    private String cost(LedgerEntry e, Set<String> unpriced) {
        if (e.reused()) {
            return NOTHING_DELIVERED;
        }
        if (!e.sent()) {
            return "";
        }
        if (e.status() == RowStatus.FAILED || e.status() == RowStatus.SKIPPED) {
            return NOTHING_DELIVERED;
        }
        RowCost cost = e.priceKey() != null
                ? new RowCost(e.cost(), e.priceKey(), e.model(), null)
                : RowPrices.bySizeOnly(pricesPerSecond, e.width(), e.height(), e.secondsOfVideo());
        if (!cost.known() && e.status() == RowStatus.SUCCEEDED) {
            unpriced.add(cost.key());
        }
        return cost.text();
    }

    /** @param row the row as read, or null when it could not be parsed (its values are unknown) */
    private static String[] pending(int rowNumber, long fileLine, CsvRow row, boolean runFinished) {
        String diagnosis = runFinished ? Messages.get("report.not-processed", fileLine)
                : Messages.get("report.not-reached");
        String[] line = new String[COLUMNS.size()];
        java.util.Arrays.fill(line, "");
        line[0] = Integer.toString(rowNumber);
        if (row != null) {
            line[1] = nz(row.value(InputColumns.ID));
            line[2] = nz(row.raw(InputColumns.PROMPT));
            line[3] = nz(row.value(InputColumns.IMAGE_URL));
        }
        line[4] = PENDING;
        line[12] = diagnosis;
        line[13] = "0";
        return line;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String num(Integer i) {
        return i == null ? "" : i.toString();
    }

    private static String time(Long millis) {
        return millis == null ? "" : Instant.ofEpochMilli(millis).toString();
    }

    private static String duration(Long from, Long to) {
        if (from == null || to == null) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "%.1f", (to - from) / 1000.0);
    }
}
