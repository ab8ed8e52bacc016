package dev.sorabatch.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class PromptCsvReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsMessyRealWorldCsv() throws Exception {
        // BOM, odd header spelling and spacing, CRLF, quoted comma and newline, blank lines, a backslash.
        Path csv = write("\uFEFF Prompt , Image URL,ID,N-Seconds\r\n"
                + "\"A cat, playing piano\",,cat,4\r\n"
                + "\r\n"
                + "\"Two lines:\r\nsecond line\",https://x.test/a.jpg,two,\r\n"
                + "   \r\n"
                + "C:\\path\\with\\backslashes,,,\r\n");

        List<CsvRow> rows = readAll(csv);

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).rowNumber()).isEqualTo(1);
        assertThat(rows.get(0).raw("prompt")).isEqualTo("A cat, playing piano");
        assertThat(rows.get(0).value("id")).isEqualTo("cat");
        assertThat(rows.get(0).value("n_seconds")).isEqualTo("4");
        assertThat(rows.get(1).rowNumber()).isEqualTo(2);
        assertThat(rows.get(1).raw("prompt")).isEqualTo("Two lines:\nsecond line");
        assertThat(rows.get(1).value("image_url")).isEqualTo("https://x.test/a.jpg");
        assertThat(rows.get(1).line()).isEqualTo(4);
        assertThat(rows.get(2).rowNumber()).isEqualTo(3);
        assertThat(rows.get(2).raw("prompt")).isEqualTo("C:\\path\\with\\backslashes");
    }

    @Test
    void restartSkipsTheRecordsAlreadyCommitted() throws Exception {
        Path csv = write("prompt\na\n\nb\nc\n");

        PromptCsvReader again = restartedAfter(csv, 2);
        CsvRow next = again.read();
        again.close();

        assertThat(next.rowNumber()).isEqualTo(3);
        assertThat(next.raw("prompt")).isEqualTo("c");
    }

    @Test
    void headerWithoutPromptNamesWhatWasFoundAndWhatIsNeeded() throws Exception {
        Path csv = write("text,image\nhello,\n");

        assertThatThrownBy(() -> PromptCsvReader.readHeader(csv))
                .isInstanceOf(InputFormatException.class)
                .hasMessageContaining("no 'prompt' column")
                .hasMessageContaining("found: text, image");
    }

    @Test
    void emptyMissingAndNonUtf8FilesAreRefusedClearly() throws Exception {
        assertThatThrownBy(() -> PromptCsvReader.readHeader(write("")))
                .isInstanceOf(InputFormatException.class).hasMessageContaining("is empty");
        assertThatThrownBy(() -> PromptCsvReader.readHeader(dir.resolve("nope.csv")))
                .isInstanceOf(InputFormatException.class).hasMessageContaining("input file not found");
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "pr\u00f6mpt\nbonjour\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> PromptCsvReader.readHeader(latin1))
                .isInstanceOf(InputFormatException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void nonUtf8RowIsReportedWithItsRowAndLine() throws Exception {
        Path csv = dir.resolve("mixed.csv");
        byte[] head = "prompt\nfine\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(csv, concat(head, bad));
        PromptCsvReader reader = new PromptCsvReader(csv);
        reader.open(new ExecutionContext());

        assertThat(reader.read().raw("prompt")).isEqualTo("fine");
        assertThatThrownBy(reader::read).isInstanceOfSatisfying(MalformedRowException.class, e -> {
            assertThat(e.rowNumber()).isEqualTo(2);
            assertThat(e.getMessage()).contains("row 2").contains("not valid UTF-8");
        });
        reader.close();
    }

    @Test
    void unterminatedQuoteIsReportedWithTheLineItStartsOn() throws Exception {
        Path csv = write("prompt,id\nok,1\n\"never closed,2\nlast,3\n");
        PromptCsvReader reader = new PromptCsvReader(csv);
        reader.open(new ExecutionContext());

        assertThat(reader.read().value("id")).isEqualTo("1");
        assertThatThrownBy(reader::read).isInstanceOfSatisfying(MalformedRowException.class, e -> {
            assertThat(e.rowNumber()).isEqualTo(2);
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.getMessage()).contains("quote");
        });
        reader.close();
    }

    @Test
    void aRowWithMoreFieldsThanTheHeaderIsMalformedAndNamesTheUnquotedCommaAndTheFix() throws Exception {
        Path csv = write("id,prompt\ncafe,Un caf\u00e9 cr\u00e8me sur une terrasse \u00e0 Paris, \u00e9t\u00e9\nok,fine\n");
        PromptCsvReader reader = new PromptCsvReader(csv);
        reader.open(new ExecutionContext());

        assertThatThrownBy(reader::read).isInstanceOfSatisfying(MalformedRowException.class, e -> {
            assertThat(e.rowNumber()).isEqualTo(1);
            assertThat(e.getMessage()).startsWith("row 1 (line 2): 3 fields, but the header has 2 columns")
                    .contains("unquoted ','").contains("('\u00e9t\u00e9') would be dropped")
                    .contains("double quotes").endsWith("\"Un caf\u00e9 cr\u00e8me sur une terrasse \u00e0 Paris, \u00e9t\u00e9\"");
        });
        assertThat(reader.read().raw("prompt")).isEqualTo("fine");
        reader.close();
        assertThat(PromptCsvReader.countRows(csv)).isEqualTo(2);
    }

    @Test
    void theLikelyFixQuotesThePromptWhereverItsColumnIs() throws Exception {
        Path csv = write("prompt,id,n_seconds\nHello, world,x,4\n");
        PromptCsvReader reader = new PromptCsvReader(csv);
        reader.open(new ExecutionContext());

        assertThatThrownBy(reader::read).isInstanceOf(MalformedRowException.class)
                .hasMessageContaining("4 fields, but the header has 3").hasMessageEndingWith("\"Hello, world\"");
        reader.close();
    }

    @Test
    void emptyFieldsBeyondTheHeaderAreHarmlessAndMissingOnesAreEmpty() throws Exception {
        // Excel pads rows with trailing separators; a short row leaves its last columns empty
        Path csv = write("id,prompt\na,b,,\r\nc,d, ,\r\ne\r\n");

        List<CsvRow> rows = readAll(csv);

        assertThat(rows).extracting(r -> r.value("id")).containsExactly("a", "c", "e");
        assertThat(rows).extracting(r -> r.raw("prompt")).containsExactly("b", "d", null);
    }

    @Test
    void aSemicolonSeparatedFileIsReadWithItsSeparatorEverywhere() throws Exception {
        // what Excel writes in French: ';' between fields, commas inside the prompt, CRLF
        Path csv = write("\uFEFFid;Prompt;n_seconds\r\ncafe;Un caf\u00e9, cr\u00e8me;4\r\n"
                + "quai;\"La Seine; le soir\";8\r\nvent;Un champ, du vent;\r\n");

        List<CsvRow> rows = readAll(csv);

        assertThat(rows).extracting(r -> r.raw("prompt"))
                .containsExactly("Un caf\u00e9, cr\u00e8me", "La Seine; le soir", "Un champ, du vent");
        assertThat(rows.get(0).value("n_seconds")).isEqualTo("4");
        assertThat(PromptCsvReader.readHeader(csv)).containsExactly("id", "prompt", "n_seconds");
        assertThat(PromptCsvReader.countRows(csv)).isEqualTo(3);
        PromptCsvReader again = restartedAfter(csv, 2);
        assertThat(again.read().raw("prompt")).isEqualTo("Un champ, du vent");
        assertThat(again.separator()).isEqualTo(';');
        again.close();
    }

    @Test
    void theSeparatorIsTheOneThatGivesAPromptColumnOutsideQuotes() throws Exception {
        assertThat(CsvSeparator.detect(write("id\tprompt\tsize\na\tb, c\t480x480\n"))).isEqualTo('\t');
        assertThat(CsvSeparator.detect(write("\"a;b;c\",prompt\nx,y\n"))).isEqualTo(',');
        assertThat(CsvSeparator.detect(write("\"a,b,c\";prompt\nx;y\n"))).isEqualTo(';');
        assertThat(CsvSeparator.detect(write("prompt\nhello; world, again\n"))).isEqualTo(',');
        assertThat(CsvSeparator.detect(write("\n\ntext;image;id\n"))).isEqualTo(';');
        assertThatThrownBy(() -> PromptCsvReader.readHeader(write("text;image;id\n")))
                .hasMessageContaining("found: text, image, id");
    }

    /** A reader opened as a restart opens it, after a first run committed {@code committed} records. */
    private static PromptCsvReader restartedAfter(Path csv, int committed) throws Exception {
        ExecutionContext saved = new ExecutionContext();
        PromptCsvReader first = new PromptCsvReader(csv);
        first.open(saved);
        for (int i = 0; i < committed; i++) {
            first.read();
        }
        first.update(saved);
        first.close();
        PromptCsvReader again = new PromptCsvReader(csv);
        again.open(saved);
        return again;
    }

    private List<CsvRow> readAll(Path csv) throws Exception {
        PromptCsvReader reader = new PromptCsvReader(csv);
        reader.open(new ExecutionContext());
        List<CsvRow> rows = new ArrayList<>();
        for (CsvRow row = reader.read(); row != null; row = reader.read()) {
            rows.add(row);
        }
        reader.close();
        return rows;
    }

    private Path write(String content) throws Exception {
        Path file = Files.createTempFile(dir, "in", ".csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
