package dev.sorabatch.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;

/** A report CSV made up by a test, as {@link ReportWriter} writes one, without running a job. */
public final class ReportCsvFixture {

    private ReportCsvFixture() {
    }

    /** Writes the rows (column name to value; missing columns empty) under the report's header. */
    public static void write(Path csv, Iterable<Map<String, String>> rows) throws IOException {
        Files.createDirectories(csv.toAbsolutePath().getParent());
        try (Writer writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
                ICSVWriter out = new CSVWriter(writer, ',', '"', '"', "\n")) {
            out.writeNext(ReportWriter.COLUMNS.toArray(String[]::new), false);
            for (Map<String, String> row : rows) {
                out.writeNext(ReportWriter.COLUMNS.stream().map(c -> row.getOrDefault(c, "")).toArray(String[]::new),
                        false);
            }
        }
    }
}
