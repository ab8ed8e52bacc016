package dev.sorabatch.report;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;

/**
 * The report CSV read back one row at a time (column name to value), so the HTML report's size does not depend on
 * memory. A read error surfaces as {@link UncheckedIOException} from {@link #next()}.
 */
final class ReportRows implements Iterator<Map<String, String>>, Closeable {

    private final Path csv;
    private final CSVReader lines;
    private final String[] header;
    private String[] line;

    ReportRows(Path csv) throws IOException {
        this.csv = csv;
        Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        this.lines = new CSVReaderBuilder(reader).withCSVParser(new RFC4180ParserBuilder().build()).build();
        try {
            String[] first = lines.readNext();
            this.header = first == null ? new String[0] : first;
            this.line = lines.readNext();
        } catch (CsvValidationException | IOException e) {
            lines.close();
            throw failure(e);
        }
    }

    @Override
    public boolean hasNext() {
        return line != null;
    }

    @Override
    public Map<String, String> next() {
        if (line == null) {
            throw new NoSuchElementException();
        }
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.length && i < line.length; i++) {
            row.put(header[i], line[i]);
        }
        try {
            line = lines.readNext();
        } catch (CsvValidationException | IOException e) {
            throw new UncheckedIOException(failure(e));
        }
        return row;
    }

    private IOException failure(Exception e) {
        return new IOException("cannot read the report " + csv + " back: " + e.getMessage(), e);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
