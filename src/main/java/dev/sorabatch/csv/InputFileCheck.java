package dev.sorabatch.csv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import dev.sorabatch.i18n.Messages;

/**
 * What is checked of the input file as a whole before a run or a dry run sends anything: that it is a file, not
 * empty, UTF-8 from its first byte to its last (one streaming pass), with a header naming a {@code prompt} column
 * and at least one row. Each refusal names the file and the fix; the run then exits 2.
 */
public final class InputFileCheck {

    /** What the check found: the separator, and the line to print when it is not a comma. */
    public record Checked(char separator, Optional<String> notice) {
    }

    private InputFileCheck() {
    }

    /** @throws InputFormatException naming the file, what is wrong and the fix */
    public static Checked check(Path input) {
        if (Files.isDirectory(input)) {
            throw new InputFormatException(Messages.get("input.directory", input));
        }
        try {
            if (Files.size(input) == 0) {
                throw new InputFormatException(Messages.get("input.empty-file", input));
            }
            Utf8Check.Problem problem = Utf8Check.firstProblem(input);
            if (problem != null) {
                throw new InputFormatException(notUtf8(input, problem));
            }
        } catch (IOException e) {
            PromptCsvReader.readHeader(input); // names a missing or unreadable file the way a run does
            throw new InputFormatException(Messages.get("input.unreadable", input, e.getMessage()), e);
        }
        PromptCsvReader.readHeader(input);
        PromptCsvReader reader = new PromptCsvReader(input);
        boolean rows;
        try {
            reader.open(new ExecutionContext());
            rows = reader.read() != null;
        } catch (MalformedRowException e) {
            rows = true; // a bad row is a row: it gets its report line
        } catch (Exception e) {
            throw new InputFormatException(Messages.get("input.unreadable", input, e.getMessage()), e);
        } finally {
            reader.close();
        }
        if (!rows) {
            throw new InputFormatException(Messages.get("input.no-rows", input));
        }
        char separator = reader.separator();
        return new Checked(separator, separator == CsvSeparator.COMMA ? Optional.empty()
                : Optional.of(Messages.get("input.separator", input, CsvSeparator.describe(separator))));
    }

    private static String notUtf8(Path input, Utf8Check.Problem problem) {
        String converted = converted(input).toString();
        if (problem.utf16()) {
            return Messages.get("input.utf16", input, converted);
        }
        String where = where(input, problem.line());
        if (problem.looksLikeWindows1252()) {
            return Messages.get("input.windows-1252", input, where, problem.hex(),
                    String.valueOf(problem.windows1252()), converted);
        }
        return Messages.get("input.not-utf8", input, where, problem.hex(), converted);
    }

    /** "row 3 (line 4)", or "the header (line 1)": the record that holds a physical line, as the reader numbers it. */
    private static String where(Path input, long line) {
        PromptCsvReader reader = new PromptCsvReader(input);
        int row = 0;
        try {
            reader.open(new ExecutionContext());
            while (true) {
                long start;
                int number;
                try {
                    CsvRow next = reader.read();
                    if (next == null) {
                        break;
                    }
                    start = next.line();
                    number = next.rowNumber();
                } catch (MalformedRowException e) {
                    start = e.line();
                    number = e.rowNumber();
                }
                if (start > line) {
                    break;
                }
                row = number;
            }
        } catch (Exception e) {
            // the line alone still lets a person find it
        } finally {
            reader.close();
        }
        return row == 0 ? Messages.get("input.at-header", line) : Messages.get("input.at-row", row, line);
    }

    /** Where a converted copy could go: {@code input.csv} → {@code input-utf8.csv}, beside it. */
    private static Path converted(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return input.resolveSibling(stem + "-utf8" + (dot > 0 ? name.substring(dot) : ".csv"));
    }
}
