package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.cli.SoraSimulator;

/**
 * "No paid video is overwritten, and the report and the disk agree": file names that could collide (a row suffix
 * or a variant suffix spelled as an id, ids that differ only in case), files already in the output folder, report
 * paths that would overwrite the input, and a resumed run's own files.
 */
@ExtendWith(OutputCaptureExtension.class)
class FileNamesFunctionalTests extends SimulatedServiceTest {

    private static final String KEY = "file-names-key";

    @Test
    void idsThatSpellAnotherRowsSuffixGetDistinctFilesAndTheReportNamesExactlyTheFilesOnDisk() throws Exception {
        // given
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("""
                id,prompt,n_variants
                x-row-0003,first,
                x,second,
                x,third,
                v-v2,fourth,
                v,fifth,2
                Lake,sixth,
                lake,seventh,
                """);

        // when
        int exit = run.against(simulator);

        // then
        assertThat(exit).isZero();
        List<Map<String, String>> report = run.report();
        List<String> videos = files(report, "video_files");
        List<String> thumbnails = files(report, "thumbnail_files");
        assertThat(videos).hasSize(8);
        assertThat(thumbnails).hasSize(8);
        List<String> all = new ArrayList<>(videos);
        all.addAll(thumbnails);
        assertThat(all.stream().map(f -> f.toLowerCase(Locale.ROOT))).doesNotHaveDuplicates();
        for (String video : videos) {
            assertThat(Files.size(Path.of(video))).as(video).isEqualTo(resourceSize("simulator/sample.mp4"));
        }
        for (String thumbnail : thumbnails) {
            assertThat(Files.size(Path.of(thumbnail))).as(thumbnail).isEqualTo(resourceSize("simulator/thumbnail.jpg"));
        }
        try (Stream<Path> files = Files.list(run.output)) {
            assertThat(files.map(Path::toString).filter(f -> !f.contains("report.")))
                    .containsExactlyInAnyOrderElementsOf(all);
        }
    }

    @Test
    void aFileAlreadyAtAVideosNameIsKeptAndTheRowIsSavedBesideItSayingSo() throws Exception {
        // given: the user's own lake.mp4 in the output folder
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt\nlake,A lake at dawn\n");
        Files.createDirectories(run.output);
        byte[] users = "the user's own video".getBytes(StandardCharsets.UTF_8);
        Files.write(run.output.resolve("lake.mp4"), users);

        // when: a run, and after it completed the same command again with --again (a new run that sends it anew)
        int first = run.against(simulator);
        Map<String, String> firstRow = run.report().get(0);
        byte[] firstRunVideo = Files.readAllBytes(run.output.resolve("lake-2.mp4"));
        int second = run.against(simulator, "--again");

        // then: nothing this run did not write was replaced, and the report says where the video went
        assertThat(first).isZero();
        assertThat(second).isZero();
        assertThat(Files.readAllBytes(run.output.resolve("lake.mp4"))).isEqualTo(users);
        assertThat(firstRow.get("video_files")).isEqualTo(run.output.resolve("lake-2.mp4").toString());
        assertThat(firstRow.get("diagnosis")).contains("lake.mp4 was already in the output folder")
                .contains("saved as lake-2.mp4");
        assertThat(firstRunVideo).hasSize((int) resourceSize("simulator/sample.mp4"));
        assertThat(Files.readAllBytes(run.output.resolve("lake-2.mp4"))).isEqualTo(firstRunVideo);
        assertThat(run.report().get(0).get("video_files")).isEqualTo(run.output.resolve("lake-3.mp4").toString());
        assertThat(run.output.resolve("lake-3.mp4")).hasSize(resourceSize("simulator/sample.mp4"));
    }

    @Test
    void aReportOrOutputPathThatWouldOverwriteTheInputIsRefusedBeforeAnythingIsSent(CapturedOutput output)
            throws Exception {
        // given
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt\nlake,A lake at dawn\n");
        byte[] input = Files.readAllBytes(run.input);
        Files.createSymbolicLink(dir.resolve("alias.csv"), run.input);
        Path htmlInput = dir.resolve("page.html");
        Files.write(htmlInput, input);

        // when / then
        for (String[] args : new String[][] {
                { "--report=" + run.input },
                { "--report=" + dir.resolve("not-yet/../prompts.csv") },
                { "--report=" + dir.resolve("alias.csv") },
                { "--output=" + run.input },
                { "--report=" + run.output.resolve("lake.mp4") },
                { "--report=" + dir },
                { "--input=" + htmlInput, "--report=" + dir.resolve("page.csv") } }) {
            assertThat(run.against(simulator, args)).as(String.join(" ", args)).isEqualTo(2);
        }
        assertThat(Files.readAllBytes(run.input)).isEqualTo(input);
        assertThat(Files.readAllBytes(htmlInput)).isEqualTo(input);
        assertThat(simulator.createdPrompts()).isEmpty();
        assertThat(output.getErr()).contains("is the input file").contains("would overwrite the input file")
                .contains("is named like a video").contains("is a folder");
        assertThat(run.output.resolve("lake.mp4")).doesNotExist();

        // and the input's own folder is a normal output folder
        assertThat(run.against(simulator, "--output=" + dir)).isZero();
        assertThat(Files.readAllBytes(run.input)).isEqualTo(input);
        assertThat(dir.resolve("lake.mp4")).hasSize(resourceSize("simulator/sample.mp4"));
    }

    @Test
    void aReportPathHoldingAFileThatIsNotAReportIsRefused(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\nA lake\n");
        Path notes = dir.resolve("notes.csv");
        Files.writeString(notes, "name,phone\nAda,555\n");

        assertThat(run.against(simulator, "--report=" + notes)).isEqualTo(2);

        assertThat(notes).hasContent("name,phone\nAda,555\n");
        assertThat(output.getErr()).contains("is not a sora-batch report");
        assertThat(simulator.createdPrompts()).isEmpty();
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = { "after-create:1", "mid-download:2" })
    void aResumedRunKeepsTheNamesItGaveAndDoesNotRenameItsOwnFiles(String crashPoint) throws Exception {
        // given: lake.mp4 is the user's, so the row is named lake-2; the run dies after the create was sent, or
        // with lake-2.mp4 saved and its thumbnail not yet
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt\nlake,A lake at dawn\n");
        Files.createDirectories(run.output);
        Files.writeString(run.output.resolve("lake.mp4"), "the user's own video");
        Process child = run.startInOwnJvm("crashed.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=" + KEY, "--sora.fault.crash-at=" + crashPoint);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("crashed.log"))).isEqualTo(137);

        // when
        int exit = run.against(simulator);

        // then
        assertThat(exit).isZero();
        assertThat(simulator.createdPrompts()).containsExactly("A lake at dawn");
        Map<String, String> row = run.report().get(0);
        assertThat(row.get("video_files")).isEqualTo(run.output.resolve("lake-2.mp4").toString());
        assertThat(row.get("thumbnail_files")).isEqualTo(run.output.resolve("lake-2.jpg").toString());
        assertThat(row.get("diagnosis")).contains("lake.mp4 was already in the output folder");
        assertThat(run.output.resolve("lake-2.mp4")).hasSize(resourceSize("simulator/sample.mp4"));
        assertThat(run.output.resolve("lake.mp4")).hasContent("the user's own video");
        try (Stream<Path> files = Files.list(run.output)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("lake-3"))
                    .noneMatch(n -> n.endsWith(".part"));
        }
    }

    private static List<String> files(List<Map<String, String>> report, String column) {
        return report.stream().flatMap(r -> Stream.of(r.get(column).split(";"))).filter(f -> !f.isEmpty()).toList();
    }

    private long resourceSize(String name) throws Exception {
        try (var in = getClass().getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes().length;
        }
    }
}
