package dev.sorabatch.csv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.opencsv.CSVReader;
import com.opencsv.exceptions.CsvException;

/**
 * The field separator of an input CSV, detected from its header row: a comma, or what Excel writes in French and
 * other locales where the comma is the decimal mark (a semicolon), or a tab. The one whose header has a
 * {@code prompt} column wins; among several (or none), the one that splits the header into the most columns,
 * the comma on a tie. Quoted text does not count: the header is parsed with each candidate.
 */
public final class CsvSeparator {

    static final char COMMA = ',';
    private static final List<Character> CANDIDATES = List.of(COMMA, ';', '\t');

    private CsvSeparator() {
    }

    /** @return the separator; a comma when the file cannot tell (missing, empty, unreadable) */
    public static char detect(Path input) {
        char best = COMMA;
        int bestScore = -1;
        for (char candidate : CANDIDATES) {
            int score = score(input, candidate);
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    /** How a person names it in a message: {@code ';'} or {@code tab}. */
    public static String describe(char separator) {
        return separator == '\t' ? "tab" : "'" + separator + "'";
    }

    /** The number of header columns with this separator, plus a large bonus when one of them is {@code prompt}. */
    private static int score(Path input, char separator) {
        try (CSVReader csv = PromptCsvReader.open(input, separator)) {
            String[] names;
            do {
                names = csv.readNext();
            } while (names != null && names.length == 1 && names[0].isBlank());
            if (names == null) {
                return -1;
            }
            boolean prompt = false;
            for (String name : names) {
                prompt |= InputColumns.PROMPT.equals(InputColumns.normalise(name));
            }
            return (prompt ? 1_000_000 : 0) + names.length;
        } catch (IOException | CsvException | RuntimeException e) {
            return -1;
        }
    }
}
