package dev.sorabatch.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFileCheckTest {

    @TempDir
    Path dir;

    @Test
    void aWindows1252FileIsRefusedNamingTheRowTheByteAndTheFix() throws Exception {
        Path csv = dir.resolve("input.csv");
        Files.write(csv, "id,prompt\nlake,A calm lake\n\n\"two\",\"two\nlines\"\ncafe,Un caf\u00e9 \u00e0 Paris\n"
                .getBytes(Charset.forName("windows-1252")));

        assertThatThrownBy(() -> InputFileCheck.check(csv)).isInstanceOf(InputFormatException.class)
                .hasMessage(csv + " is not UTF-8 (it looks like Windows-1252, as Excel saves it; row 3 (line 6) has"
                        + " byte 0xE9, '\u00e9' in Windows-1252); nothing was sent. Save it as 'CSV UTF-8' in Excel, or"
                        + " convert it: iconv -f WINDOWS-1252 -t UTF-8 " + csv + " > " + dir.resolve("input-utf8.csv"));
    }

    @Test
    void aSingleBadByteAnywhereRefusesTheWholeFileEvenInTheHeaderOrAtTheEnd() throws Exception {
        Path header = write(bytes("pr", 0xF6, "mpt\nbonjour\n"));
        assertThatThrownBy(() -> InputFileCheck.check(header)).hasMessageContaining("the header (line 1) has byte 0xF6");

        StringBuilder many = new StringBuilder("prompt\n");
        for (int i = 1; i <= 100_000; i++) {
            many.append("Un caf\u00e9 cr\u00e8me \u20ac ").append(i).append('\n');
        }
        Path last = write(bytes(many.toString(), 0x92, "\n")); // a Windows-1252 apostrophe on the last line
        assertThatThrownBy(() -> InputFileCheck.check(last))
                .hasMessageContaining("row 100001 (line 100002) has byte 0x92, '\u2019' in Windows-1252");
    }

    @Test
    void bytesThatAreNeitherUtf8NorWindows1252AreRefusedWithoutGuessing() throws Exception {
        Path gbk = write(bytes("prompt\n", 0xD6, 0xD0, 0xCE, 0xC4, "\n")); // "中文" in GBK
        assertThatThrownBy(() -> InputFileCheck.check(gbk))
                .hasMessageContaining("is not UTF-8 (row 1 (line 2) has byte 0xD6, which UTF-8 text cannot have")
                .hasMessageNotContaining("Windows-1252").hasMessageContaining("iconv -f <its encoding> -t UTF-8");
        // a UTF-8 surrogate (ED A0 80) and an overlong slash (C0 AF) are not UTF-8 either
        assertThatThrownBy(() -> InputFileCheck.check(write(bytes("prompt\na", 0xED, 0xA0, 0x80, "\n"))))
                .hasMessageContaining("has byte 0xED");
        assertThatThrownBy(() -> InputFileCheck.check(write(bytes("prompt\na", 0xC0, 0xAF, "\n"))))
                .hasMessageContaining("has byte 0xC0");
        // cut in the middle of a character at the very end
        assertThatThrownBy(() -> InputFileCheck.check(write(bytes("prompt\na", 0xE2, 0x82))))
                .hasMessageContaining("has byte 0xE2");
    }

    @Test
    void aUtf16FileIsNamedAsSuch() throws Exception {
        Path csv = write(bytes(0xFF, 0xFE, "p\0r\0o\0m\0p\0t\0\n\0"));

        assertThatThrownBy(() -> InputFileCheck.check(csv)).hasMessageContaining("is UTF-16 text")
                .hasMessageContaining("iconv -f UTF-16 -t UTF-8");
    }

    @Test
    void utf8WithBomAndEveryCharacterLengthPasses() throws Exception {
        Path csv = write(("\uFEFFprompt,id\n\"Caf\u00e9 \u20ac \u4e2d\u6587 \ud83c\udfa5, \uFFFD ok\",x\n")
                .getBytes(StandardCharsets.UTF_8));

        InputFileCheck.Checked checked = InputFileCheck.check(csv);

        assertThat(checked.separator()).isEqualTo(',');
        assertThat(checked.notice()).isEmpty();
    }

    @Test
    void aSemicolonFileSaysWhichSeparatorIsUsed() throws Exception {
        Path csv = write("id;prompt\r\na;Un caf\u00e9, cr\u00e8me\r\n".getBytes(StandardCharsets.UTF_8));

        assertThat(InputFileCheck.check(csv).notice()).contains("sora-batch: " + csv + " uses ';' as separator");
    }

    @Test
    void aHeaderWithNoRowsADirectoryAndAnEmptyFileAreEachNamedForWhatTheyAre() throws Exception {
        Path headerOnly = write("id,prompt\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> InputFileCheck.check(headerOnly)).isInstanceOf(InputFormatException.class)
                .hasMessageStartingWith(headerOnly + " has a header but no rows");

        Path folder = Files.createDirectories(dir.resolve("exports"));
        assertThatThrownBy(() -> InputFileCheck.check(folder)).isInstanceOf(InputFormatException.class)
                .hasMessageStartingWith(folder + " is a directory, not a CSV file");

        Path empty = write(new byte[0]);
        assertThatThrownBy(() -> InputFileCheck.check(empty)).isInstanceOf(InputFormatException.class)
                .hasMessageStartingWith(empty + " is empty (0 bytes)");

        assertThatThrownBy(() -> InputFileCheck.check(dir.resolve("nope.csv")))
                .isInstanceOf(InputFormatException.class).hasMessageContaining("input file not found");
    }

    @Test
    void aFileWhoseOnlyRowIsMalformedHasARowToReport() throws Exception {
        Path csv = write("id,prompt\nx,a, b\n".getBytes(StandardCharsets.UTF_8));

        assertThat(InputFileCheck.check(csv).separator()).isEqualTo(',');
    }

    private Path write(byte[] content) throws Exception {
        Path file = Files.createTempFile(dir, "in", ".csv");
        Files.write(file, content);
        return file;
    }

    /** Text (as UTF-8) and raw byte values, in order. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer b) {
                out.write(b);
            } else {
                out.writeBytes(((String) part).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
