package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.cli.SoraSimulator;

/**
 * Input that used to be misread in silence: an unquoted comma, a ';'-separated file from a French Excel, a
 * Windows-1252 file, a header with no rows. Each is either read as meant or refused before anything is paid for.
 */
@ExtendWith(OutputCaptureExtension.class)
class CsvInputFunctionalTests extends SimulatedServiceTest {

    private static final String KEY = "csv-input-key-7c2a";
    private static final String CAFE = "cafe,Un caf\u00e9 cr\u00e8me sur une terrasse \u00e0 Paris, \u00e9t\u00e9\n";

    @Test
    void aRowWithAnUnquotedCommaIsSkippedAsMalformedAndNotPaidFor() throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt\n" + CAFE + "lake,A calm lake,,\n");

        int exit = run.against(simulator);

        assertThat(exit).isEqualTo(3);
        List<Map<String, String>> report = run.report();
        assertThat(report).extracting(r -> r.get("status")).containsExactly("SKIPPED", "SUCCEEDED");
        assertThat(report.get(0)).containsEntry("row", "1").containsEntry("error_code", "malformed_row");
        assertThat(report.get(0).get("error_message")).contains("row 1 (line 2): 3 fields, but the header has 2")
                .contains("unquoted ','").contains("double quotes");
        assertThat(simulator.createdPrompts()).containsExactly("A calm lake");
    }

    @Test
    void aDryRunCountsARowWithAnUnquotedCommaAsARowToFix(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv("id,prompt\n" + CAFE + "lake,A calm lake\n");

        int exit = run.run("--dry-run", "--sora.endpoint=", "--sora.api-key=");

        assertThat(exit).isEqualTo(3);
        assertThat(output.getOut()).contains("row 1 (line 2): 3 fields, but the header has 2 columns")
                .contains("2 rows, 1 would be sent, 1 would be skipped");
    }

    @Test
    void aSemicolonSeparatedFileFromAFrenchExcelRunsAndSaysSo(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("\uFEFFid;prompt;n_seconds\r\ncafe;Un caf\u00e9, cr\u00e8me;4\r\n"
                + "lac;\"Un lac; calme\";\r\n");

        int exit = run.against(simulator);

        assertThat(exit).isZero();
        assertThat(output.getOut()).contains("sora-batch: " + run.input + " uses ';' as separator");
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("Un caf\u00e9, cr\u00e8me", "Un lac; calme");
        assertThat(run.report()).extracting(r -> r.get("id")).containsExactly("cafe", "lac");
        assertThat(run.output.resolve("cafe.mp4")).exists();
    }

    @Test
    void aWindows1252FileStopsBeforeAnythingIsSentWithTheFix(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir);
        Files.write(run.input, ("id,prompt\nlake,A calm lake\nfield,A windy field\n" + CAFE)
                .getBytes(Charset.forName("windows-1252")));

        int exit = run.against(simulator);
        int dryRun = run.run("--dry-run", "--sora.endpoint=", "--sora.api-key=");

        assertThat(exit).isEqualTo(2);
        assertThat(dryRun).isEqualTo(2);
        assertThat(output.getErr()).contains(run.input + " is not UTF-8 (it looks like Windows-1252, as Excel saves"
                + " it; row 3 (line 4) has byte 0xE9").contains("Save it as 'CSV UTF-8' in Excel")
                .contains("iconv -f WINDOWS-1252 -t UTF-8 " + run.input);
        assertThat(simulator.createdPrompts()).isEmpty();
        assertThat(run.output.resolve("report.csv")).doesNotExist();
    }

    @Test
    void aHeaderWithNoRowsADirectoryAndAnEmptyFileExit2NamingWhatTheyAre(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt\r\n");
        Path folder = Files.createDirectories(dir.resolve("exports"));
        Path empty = Files.createFile(dir.resolve("empty.csv"));

        int noRows = run.against(simulator);
        int directory = run.against(simulator, "--input=" + folder);
        int emptyFile = run.against(simulator, "--input=" + empty);

        assertThat(List.of(noRows, directory, emptyFile)).containsOnly(2);
        assertThat(output.getErr()).contains(run.input + " has a header but no rows")
                .contains(folder + " is a directory, not a CSV file")
                .contains(empty + " is empty (0 bytes)");
        assertThat(simulator.createdPrompts()).isEmpty();
    }
}
