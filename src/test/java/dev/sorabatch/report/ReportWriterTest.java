package dev.sorabatch.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.Failure;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.ledger.LedgerSchema;
import dev.sorabatch.pricing.RowCost;

/**
 * report.csv as {@link ReportWriter} writes it from the input and the ledger: its columns, one line per input row in
 * input order, fields quoted as RFC 4180 says, and never a half-written report under its name.
 */
class ReportWriterTest {

    private static final long RUN = 3;
    private static final String TRICKY = "She said \"hi\", then left\nSecond line, \"quoted\"";

    @TempDir
    Path dir;

    private JdbcTemplate jdbc;
    private DataSourceTransactionManager transactions;
    private Ledger ledger;
    private Path input;
    private Path report;

    @BeforeEach
    void repository() throws IOException {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:report-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        LedgerSchema.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        transactions = new DataSourceTransactionManager(dataSource);
        ledger = new Ledger(jdbc, transactions);
        input = dir.resolve("prompts.csv");
        report = dir.resolve("out/report.csv");
        Files.writeString(input, """
                id,prompt,width,height,n_seconds,n_variants
                fox,A fox in the snow,480,480,5,1
                tricky,"She said ""hi"", then left
                Second line, ""quoted""\",480,480,5,1
                later,A row the run never reached,480,480,5,1
                empty,,480,480,5,1
                """, StandardCharsets.UTF_8);
    }

    @Test
    void theHeaderNamesTheColumnsInTheirOrder() throws IOException {
        writer(ledger).write(RUN, input, report, false, null);

        assertThat(Files.readAllLines(report, StandardCharsets.UTF_8).get(0)).isEqualTo("row,id,prompt,image_url,"
                + "status,job_id,generation_ids,video_files,thumbnail_files,http_status,error_code,error_message,"
                + "diagnosis,attempts,submitted_at,finished_at,duration_s,width,height,n_seconds,n_variants,"
                + "apim_request_id,cost,reused_from");
        assertThat(read(report).get(0)).containsExactlyElementsOf(ReportWriter.COLUMNS);
    }

    @Test
    void eachInputRowHasOneLineInInputOrderWhateverOrderTheLedgerLearnedThemIn() throws IOException {
        ledger.recordSkipped(RUN, 4, "empty", "", null, Failure.described("invalid_row", "no prompt", "Add one."));
        sent(2, TRICKY);
        ledger.recordFailed(RUN, 2, 1, 1, new Failure(400, "invalid_request_error", "Bad, \"very\" bad", "Fix it.",
                "req-2"));
        sent(1, "A fox in the snow");
        ledger.recordSucceeded(RUN, 1, "succeeded", "gen_1", "out/fox.mp4", "out/fox.jpg", 2);

        Map<String, Integer> totals = writer(ledger).write(RUN, input, report, false, Instant.now());

        List<Map<String, String>> lines = lines(report);
        assertThat(lines).extracting(l -> l.get("row")).containsExactly("1", "2", "3", "4");
        assertThat(lines).extracting(l -> l.get("id")).containsExactly("fox", "tricky", "later", "empty");
        assertThat(lines).extracting(l -> l.get("status")).containsExactly("SUCCEEDED", "FAILED", "PENDING",
                "SKIPPED");
        assertThat(lines.get(0)).containsEntry("job_id", "job1").containsEntry("video_files", "out/fox.mp4")
                .containsEntry("thumbnail_files", "out/fox.jpg").containsEntry("cost", "0.40 USD")
                .containsEntry("attempts", "1").containsEntry("n_seconds", "5");
        assertThat(lines.get(1)).containsEntry("http_status", "400")
                .containsEntry("error_code", "invalid_request_error").containsEntry("error_message", "Bad, \"very\" bad")
                .containsEntry("apim_request_id", "req-2")
                .containsEntry("cost", "0.00 USD");
        assertThat(lines.get(2)).containsEntry("prompt", "A row the run never reached")
                .containsEntry("diagnosis", Messages.get("report.not-reached")).containsEntry("attempts", "0")
                .containsEntry("cost", "");
        assertThat(lines.get(3)).containsEntry("error_code", "invalid_row").containsEntry("cost", "");
        assertThat(totals).containsOnly(Map.entry("SUCCEEDED", 1), Map.entry("FAILED", 1), Map.entry("PENDING", 1),
                Map.entry("SKIPPED", 1));
        assertThat(HtmlReportWriter.besideCsv(report)).exists();
    }

    @Test
    void aPromptWithCommasQuotesAndNewlinesIsQuotedAndReadsBackWhole() throws IOException {
        sent(2, TRICKY);

        writer(ledger).write(RUN, input, report, false, null);

        String text = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(text).contains(",\"She said \"\"hi\"\", then left\nSecond line, \"\"quoted\"\"\",")
                .doesNotContain("\\\"").doesNotContain("\r");
        assertThat(text).as("a plain field is left unquoted").contains("\n1,fox,A fox in the snow,,PENDING,");
        List<Map<String, String>> lines = lines(report);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).containsEntry("prompt", TRICKY).containsEntry("status", "PENDING");
    }

    @Test
    void theReportIsWrittenUnderATemporaryNameAndRenamedNothingLeftBeside() throws IOException {
        Files.createDirectories(report.getParent());
        Files.writeString(report, "an earlier report\n");

        writer(ledger).write(RUN, input, report, true, null);

        assertThat(lines(report)).hasSize(4);
        try (Stream<Path> files = Files.list(report.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.csv",
                    "report.html");
        }
    }

    @Test
    void aReportThatFailsHalfWayLeavesTheEarlierOneWholeAndNoTemporaryFile() throws IOException {
        sent(1, "A fox in the snow");
        sent(2, TRICKY);
        Files.createDirectories(report.getParent());
        Files.writeString(report, "an earlier report\n");
        // the repository goes away after the report's first line was written
        Ledger failing = new Ledger(jdbc, transactions) {
            @Override
            public Stream<LedgerEntry> streamInOrder(long runId) {
                return super.streamInOrder(runId).peek(e -> {
                    if (e.rowNum() == 2) {
                        throw new DataAccessResourceFailureException("connection lost");
                    }
                });
            }
        };

        assertThatThrownBy(() -> writer(failing).write(RUN, input, report, false, null))
                .isInstanceOf(DataAccessResourceFailureException.class);

        assertThat(report).hasContent("an earlier report");
        try (Stream<Path> files = Files.list(report.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.csv");
        }
    }

    @Test
    void aMalformedRowTheRunHasNotReachedStillHasItsLine() throws IOException {
        Files.writeString(input, """
                id,prompt,width,height,n_seconds,n_variants
                fox,A fox in the snow,480,480,5,1
                bad,an unquoted, comma,480,480,5,1
                later,A row the run never reached,480,480,5,1
                """, StandardCharsets.UTF_8);
        sent(1, "A fox in the snow");

        Map<String, Integer> totals = writer(ledger).write(RUN, input, report, false, null);

        List<Map<String, String>> lines = lines(report);
        assertThat(lines).extracting(l -> l.get("row")).containsExactly("1", "2", "3");
        assertThat(lines.get(1)).containsEntry("status", "PENDING").containsEntry("prompt", "")
                .containsEntry("diagnosis", Messages.get("report.not-reached"));
        assertThat(totals).containsOnly(Map.entry("PENDING", 3));
    }

    private ReportWriter writer(Ledger from) {
        return new ReportWriter(from, new HtmlReportWriter(), Map.of());
    }

    private void sent(int row, String prompt) {
        ledger.recordSubmitting(RUN, new VideoRequest(row, row == 1 ? "fox" : "tricky", prompt, null, 480, 480, 5, 1),
                "r" + row, null, "default", new RowCost(new BigDecimal("0.40"), "480x480", null, null));
        ledger.recordSubmitted(RUN, row, "job" + row, null, "queued", null, 1, false, Instant.now(), null);
    }

    private static List<Map<String, String>> lines(Path csv) throws IOException {
        List<String[]> records = read(csv);
        List<String> header = List.of(records.get(0));
        List<Map<String, String>> lines = new ArrayList<>();
        for (String[] record : records.subList(1, records.size())) {
            assertThat(record).as("line %d has every column", lines.size() + 1).hasSameSizeAs(header);
            Map<String, String> line = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                line.put(header.get(i), record[i]);
            }
            lines.add(line);
        }
        return lines;
    }

    private static List<String[]> read(Path csv) throws IOException {
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVReader reader = new CSVReaderBuilder(in).withCSVParser(new RFC4180ParserBuilder().build()).build()) {
            return reader.readAll();
        } catch (com.opencsv.exceptions.CsvException e) {
            throw new IOException(e);
        }
    }
}
