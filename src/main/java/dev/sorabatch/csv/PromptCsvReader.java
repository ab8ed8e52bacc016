package dev.sorabatch.csv;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

import dev.sorabatch.i18n.Messages;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;

/**
 * Reads the prompt CSV record by record: RFC 4180 quoting (separators and newlines inside quotes, no backslash
 * escapes), the separator detected from the header ({@link CsvSeparator}: every reader of one file, first run,
 * restart, report, dry run, uses the same), UTF-8 with or without BOM, CRLF or LF, blank lines ignored, header names
 * matched case-insensitively. A record with text beyond the header's columns is malformed, not cut short.
 *
 * <p>Restartable the Spring Batch way: the record count is saved in the step's execution context at each commit
 * and a restart skips that many records.
 */
public class PromptCsvReader extends AbstractItemCountingItemStreamItemReader<CsvRow> {

    private final Path input;
    /** {@code --rows}: the rows read as work; null reads them all. */
    private final RowSelection selection;
    /** Data rows read so far, blank lines not counted, selected or not: the next row's number is one more. */
    private int records;
    private CSVReader csv;
    private List<String> header;
    private char separator = CsvSeparator.COMMA;

    public PromptCsvReader(Path input) {
        this(input, null);
    }

    /**
     * @param selection the only rows returned (the others are passed over unread as work, even when malformed, so
     *            their numbers stay those of the file); null for every row
     */
    public PromptCsvReader(Path input, RowSelection selection) {
        this.input = input;
        this.selection = selection;
        setName("promptCsvReader");
    }

    /** Reads only the header: lets the command line refuse a bad file before anything starts. */
    public static List<String> readHeader(Path input) {
        try (CSVReader csv = open(input, CsvSeparator.detect(input))) {
            return header(input, csv);
        } catch (IOException e) {
            throw unreadable(input, e);
        }
    }

    /** How many records the file holds (blank lines not counted), for progress: one streaming pass. */
    public static long countRows(Path input) {
        return countRows(input, null);
    }

    /** How many of the selected rows the file holds ({@code --rows}; null: all of them). */
    public static long countRows(Path input, RowSelection selection) {
        PromptCsvReader reader = new PromptCsvReader(input, selection);
        reader.open(new org.springframework.batch.infrastructure.item.ExecutionContext());
        long rows = 0;
        try {
            while (true) {
                try {
                    if (reader.doRead() == null) {
                        return rows;
                    }
                } catch (MalformedRowException e) {
                    // counted: it will have its report line
                }
                rows++;
            }
        } finally {
            try {
                reader.doClose();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }

    @Override
    protected void doOpen() {
        try {
            records = 0;
            separator = CsvSeparator.detect(input);
            csv = open(input, separator);
            header = header(input, csv);
        } catch (IOException e) {
            throw unreadable(input, e);
        }
    }

    @Override
    protected CsvRow doRead() {
        while (true) {
            long startLine = csv.getLinesRead() + 1;
            int rowNumber = records + 1;
            if (selection != null && rowNumber > selection.lastRow()) {
                return null;
            }
            String[] fields;
            try {
                fields = csv.readNext();
            } catch (IOException | CsvException e) {
                records = rowNumber;
                if (!selected(rowNumber)) {
                    continue;
                }
                throw new MalformedRowException(rowNumber, startLine, Messages.get("row.bad-quotes", describe(e)), e);
            }
            if (fields == null) {
                return null;
            }
            if (fields.length == 1 && fields[0].isBlank()) {
                continue;
            }
            records = rowNumber;
            if (!selected(rowNumber)) {
                continue;
            }
            if (containsUndecodable(fields)) {
                throw new MalformedRowException(rowNumber, startLine, Messages.get("row.not-utf8"), null);
            }
            if (fields.length > header.size()) {
                checkExtraFields(fields, rowNumber, startLine);
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < fields.length; i++) {
                values.putIfAbsent(header.get(i), fields[i]);
            }
            return new CsvRow(rowNumber, startLine, Collections.unmodifiableMap(values));
        }
    }

    private boolean selected(int rowNumber) {
        return selection == null || selection.contains(rowNumber);
    }

    /** The separator this reader detected when it was opened (a comma before). */
    public char separator() {
        return separator;
    }

    /**
     * More fields than the header names: empty ones are harmless (Excel pads rows with trailing separators), but
     * text there means a field held an unquoted separator and would be cut at it, so the row is refused.
     */
    private void checkExtraFields(String[] fields, int rowNumber, long startLine) {
        int end = fields.length;
        while (end > header.size() && fields[end - 1].isBlank()) {
            end--;
        }
        if (end == header.size()) {
            return;
        }
        String sep = String.valueOf(separator);
        String dropped = String.join(sep, Arrays.copyOfRange(fields, header.size(), end)).strip();
        // the prompt is the free text, so the likeliest home of the separator: its value, as it was meant
        int prompt = header.indexOf(InputColumns.PROMPT);
        String meant = String.join(sep, Arrays.copyOfRange(fields, prompt, prompt + end - header.size() + 1));
        throw new MalformedRowException(rowNumber, startLine, Messages.get("row.too-many-fields", end,
                header.size(), CsvSeparator.describe(separator), abbreviate(dropped),
                "\"" + abbreviate(meant.strip()).replace("\"", "\"\"") + "\""), null);
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }

    /** Skips already-processed records on restart; a malformed one among them was reported the first time. */
    @Override
    protected void jumpToItem(int itemIndex) {
        for (int i = 0; i < itemIndex; i++) {
            try {
                if (doRead() == null) {
                    return;
                }
            } catch (MalformedRowException alreadyReported) {
                // counted as a row, as on the first pass
            }
        }
    }

    @Override
    protected void doClose() throws IOException {
        if (csv != null) {
            csv.close();
            csv = null;
        }
    }

    /**
     * Bytes that are not UTF-8 decode to U+FFFD, which is then reported against the row that holds them (a
     * strict decoder would fail on read-ahead, blaming whichever row happened to be read first). A run never gets
     * that far with such a file ({@link InputFileCheck} refuses it first); this stays for a file changed since.
     */
    static CSVReader open(Path input, char separator) throws IOException {
        Reader reader = new InputStreamReader(Files.newInputStream(input), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
        return new CSVReaderBuilder(reader).withCSVParser(new RFC4180ParserBuilder().withSeparator(separator).build())
                .build();
    }

    private static List<String> header(Path input, CSVReader csv) throws IOException {
        String[] names;
        do {
            try {
                names = csv.readNext();
            } catch (CsvException e) {
                throw new InputFormatException(Messages.get("input.header-unparsable", input, describe(e)));
            }
            if (names == null) {
                throw new InputFormatException(Messages.get("input.header-empty", input));
            }
        } while (names.length == 1 && names[0].isBlank());
        if (containsUndecodable(names)) {
            throw new InputFormatException(Messages.get("input.text-not-utf8", input));
        }
        List<String> normalised = new ArrayList<>();
        for (String name : names) {
            normalised.add(InputColumns.normalise(name));
        }
        if (!normalised.contains(InputColumns.PROMPT)) {
            throw new InputFormatException(Messages.get("input.no-prompt-column", input,
                    String.join(", ", names).replace("\uFEFF", "").strip(),
                    String.join(", ", InputColumns.ALL.subList(1, InputColumns.ALL.size()))));
        }
        return List.copyOf(normalised);
    }

    private static boolean containsUndecodable(String[] fields) {
        for (String field : fields) {
            if (field != null && field.indexOf('\uFFFD') >= 0) {
                return true;
            }
        }
        return false;
    }

    private static InputFormatException unreadable(Path input, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new InputFormatException(Messages.get("input.not-found", input.toAbsolutePath()), e);
        }
        if (e instanceof CharacterCodingException) {
            return new InputFormatException(Messages.get("input.text-not-utf8", input), e);
        }
        return new InputFormatException(Messages.get("input.unreadable", input, e.getMessage()), e);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
