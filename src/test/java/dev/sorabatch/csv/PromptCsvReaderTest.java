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
        ExecutionContext saved = new ExecutionContext();
        PromptCsvReader first = new PromptCsvReader(csv);
        first.open(saved);
        first.read();
        first.read();
        first.update(saved);
        first.close();

        PromptCsvReader again = new PromptCsvReader(csv);
        again.open(saved);
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
