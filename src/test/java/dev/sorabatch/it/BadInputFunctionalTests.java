package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.cli.SoraSimulator;

/** "Bad input never crashes the run or leaks": each gives a clear error naming the row or the path. */
@ExtendWith(OutputCaptureExtension.class)
class BadInputFunctionalTests {

    private static final String KEY = "bad-input-key-5d1e";

    @TempDir
    Path dir;

    private SoraSimulator simulator;
    private Path mounted;

    @AfterEach
    void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (mounted != null) {
            new ProcessBuilder("umount", mounted.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void badRowsFailOrAreSkippedAloneNamingRowAndColumnAndNothingElseIsLost() throws Exception {
        // given: a 10 MB prompt, an image that is HTML, one that announces 5 GB, and good rows (a row that is not
        // UTF-8 makes the whole file refused before anything is sent: CsvInputFunctionalTests)
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        String images = simulator.baseUrl() + SoraSimulator.IMAGE_PATH;
        BatchRun run = new BatchRun(dir).csv("id,prompt,image_url\n"
                + "good-1,A calm lake,\n"
                + "huge-prompt," + "x".repeat(10 * 1024 * 1024) + ",\n"
                + "html-image,A dog," + images + "/cdn/login.html.jpg\n"
                + "five-gb,A dog," + images + "/cdn/huge.jpg\n"
                + "good-2,A windy field,\n");

        // when
        int exit = run.against(simulator);

        // then
        assertThat(exit).isEqualTo(3);
        List<Map<String, String>> report = run.report();
        assertThat(report).extracting(r -> r.get("row")).containsExactly("1", "2", "3", "4", "5");
        assertThat(report.get(0)).containsEntry("status", "SUCCEEDED");
        assertThat(report.get(1)).containsEntry("status", "SKIPPED");
        assertThat(report.get(1).get("error_message")).contains("row 2, column prompt").contains("10485760 characters");
        assertThat(report.get(2)).containsEntry("status", "FAILED");
        assertThat(report.get(2).get("error_message")).contains("did not answer with a JPEG, PNG or WebP image");
        assertThat(report.get(3)).containsEntry("status", "FAILED");
        assertThat(report.get(3).get("error_message")).contains("5368709120 bytes").contains("sora.image-max-bytes");
        assertThat(report.get(4)).containsEntry("status", "SUCCEEDED");
        assertThat(simulator.createdPrompts()).containsExactly("A calm lake", "A windy field");
        assertThat(Files.size(run.output.resolve("report.csv"))).isLessThan(200_000);
    }

    @Test
    void anOutputFolderThatCannotBeCreatedIsRefusedBeforeAnythingIsSent(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\none\n");
        Files.writeString(dir.resolve("a-file"), "not a folder");

        int exit = run.against(simulator, "--output=" + dir.resolve("a-file/videos"));

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("cannot create the output folder").contains("a-file");
        assertThat(simulator.createdPrompts()).isEmpty();
    }

    @Test
    void aFullOutputFolderStopsTheRunWithTheCauseAndFinishedVideosAreKept(CapturedOutput output) throws Exception {
        // given: an output folder on a tiny file system that fills up after a few videos
        mounted = Files.createDirectories(dir.resolve("tiny"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", mounted.toString())
                .redirectErrorStream(true).start();
        if (!mount.waitFor(10, TimeUnit.SECONDS) || mount.exitValue() != 0) {
            mounted = null;
            Prerequisites.require(false, "a small tmpfs for the full-disk test (BadInputFunctionalTests)",
                    "run the tests as root (mount -t tmpfs), as .ci/run does");
        }
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\nv1\nv2\nv3\nv4\nv5\nv6\nv7\nv8\n");

        // when
        int exit = run.against(simulator, "--output=" + mounted, "--report=" + dir.resolve("report.csv"));

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(output.getErr()).contains("Could not save to the output folder").contains("No space left");
        long sample = getClass().getClassLoader().getResourceAsStream("simulator/sample.mp4").readAllBytes().length;
        try (var files = Files.list(mounted)) {
            List<Path> videos = files.filter(p -> p.toString().endsWith(".mp4")).toList();
            assertThat(videos).isNotEmpty().allSatisfy(v -> assertThat(Files.size(v)).isEqualTo(sample));
        }
        try (var files = Files.list(mounted)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
        assertThat(simulator.createdPrompts()).doesNotHaveDuplicates();
    }
}
