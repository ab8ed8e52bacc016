package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.sun.net.httpserver.HttpServer;

import dev.sorabatch.cli.SoraSimulator;

/**
 * Reuse by content beyond one CSV and one folder: two inputs sharing rows, an output folder elsewhere or moved, a
 * schedule that asks for it, and an image that changed behind the same URL.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReuseAcrossFoldersFunctionalTests extends SimulatedServiceTest {

    private static final String KEY = ReuseByContentFunctionalTests.KEY;

    @Test
    void twoInputsSharingRowsReuseEachOthersVideos() throws Exception {
        // given: a.csv delivered "Shared prompt"; b.csv has it too, under another id, row and column order
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir);
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Files.writeString(a, "id,prompt\nx,Shared prompt\ny,Only in A\n");
        Files.writeString(b, "prompt,notes,id\nOnly in B,,z\nShared prompt,from the other team,shared\n");
        assertThat(run.against(simulator, "--input=" + a)).isZero();

        // when: b.csv into its own folder, then a.csv with b's new row added
        int fromB = run.against(simulator, "--input=" + b, "--output=" + dir.resolve("out-b"));
        Files.writeString(a, "id,prompt\nx,Shared prompt\ny,Only in A\nz,Only in B\n");
        int aAgain = run.against(simulator, "--input=" + a);

        // then: each video was paid for once, and each report names the run that paid for it
        assertThat(fromB).isZero();
        assertThat(aAgain).isZero();
        assertThat(simulator.createdPrompts()).containsExactly("Shared prompt", "Only in A", "Only in B");
        Map<String, String> shared = BatchRun.report(dir.resolve("out-b/report.csv")).get(1);
        assertThat(shared.get("reused_from")).matches("run 1 row 1 of " + java.util.regex.Pattern.quote(
                a.toAbsolutePath().toString()) + ReuseByContentFunctionalTests.STARTED);
        assertThat(shared.get("video_files")).isEqualTo(dir.resolve("out-b/shared.mp4").toString());
        assertThat(Files.readAllBytes(dir.resolve("out-b/shared.mp4")))
                .isEqualTo(Files.readAllBytes(run.output.resolve("x.mp4")));
        List<Map<String, String>> third = run.report();
        assertThat(third).extracting(r -> r.get("reused_from").replaceAll(" \\(started .*", "")).containsExactly(
                "run 1 row 1", "run 1 row 2", "run 1 row 1 of " + b.toAbsolutePath());
        assertThat(third.get(2).get("video_files")).isEqualTo(run.output.resolve("z.mp4").toString());
    }

    @Test
    void anotherOrAMovedOutputFolderGetsTheVideosWithoutPayingAgain(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt,n_variants\nlake,A lake at dawn,2\nsea,The sea,1\n");
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        Path moved = dir.resolve("moved");
        assertThat(run.against(simulator, "--output=" + first)).isZero();

        // when: another folder; then that folder renamed, and the run pointed at it
        int elsewhere = run.against(simulator, "--output=" + second);
        List<Map<String, String>> secondReport = BatchRun.report(second.resolve("report.csv"));
        Files.move(second, moved);
        int afterMove = run.against(simulator, "--output=" + moved);

        // then: nothing was sent again; the files were linked or copied into the new folder, byte for byte
        assertThat(elsewhere).isZero();
        assertThat(afterMove).isZero();
        assertThat(simulator.requestCount("create")).isEqualTo(2);
        assertThat(secondReport).extracting(r -> r.get("video_files")).containsExactly(
                second.resolve("lake-v1.mp4") + ";" + second.resolve("lake-v2.mp4"), second.resolve("sea.mp4").toString());
        assertThat(secondReport).extracting(r -> r.get("thumbnail_files")).containsExactly(
                second.resolve("lake-v1.jpg") + ";" + second.resolve("lake-v2.jpg"), second.resolve("sea.jpg").toString());
        assertThat(secondReport.get(0).get("diagnosis")).contains("linked or copied here from " + first.toAbsolutePath());
        for (String name : List.of("lake-v1.mp4", "lake-v2.mp4", "sea.mp4", "sea.jpg")) {
            assertThat(Files.readAllBytes(moved.resolve(name))).as(name)
                    .isEqualTo(Files.readAllBytes(first.resolve(name)));
        }
        assertThat(BatchRun.report(moved.resolve("report.csv"))).extracting(r -> r.get("video_files"))
                .as("found under their names in the moved folder, not copied again").containsExactly(
                        moved.resolve("lake-v1.mp4") + ";" + moved.resolve("lake-v2.mp4"),
                        moved.resolve("sea.mp4").toString());
        try (var files = Files.list(moved)) {
            assertThat(files.filter(f -> f.toString().endsWith(".mp4")).count()).isEqualTo(3);
        }
        assertThat(output.getOut()).contains("2 succeeded, 0 failed, 0 skipped, 2 reused (paid in earlier runs)");
    }

    @Test
    void aScheduleGeneratesAnewUnlessItIsToldToReuse(CapturedOutput output) throws Exception {
        // given: the CSV delivered by hand (the schedule's default, a fresh video each night, is ScheduleFunctionalTests')
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\nmoon\nsea\n");
        assertThat(run.against(simulator)).isZero();

        // when: two nights with sora.schedule.reuse=true (a day passes in 6 s)
        int exit = run.against(simulator, "--schedule=0 0 2 * * *", "--sora.schedule.time-scale=14400",
                "--sora.schedule.max-runs=2", "--sora.schedule.reuse=true");

        // then: no night paid again, and each night's folder has the videos
        assertThat(exit).isZero();
        assertThat(simulator.createdPrompts()).containsExactly("moon", "sea");
        java.util.regex.Matcher nights = java.util.regex.Pattern.compile("scheduled run (\\S+) of ")
                .matcher(output.getOut());
        int count = 0;
        while (nights.find()) {
            List<Map<String, String>> report = BatchRun.report(run.output.resolve(nights.group(1)).resolve("report.csv"));
            assertThat(report).allSatisfy(r -> assertThat(r.get("reused_from")).startsWith("run 1 row "));
            assertThat(Path.of(report.get(0).get("video_files"))).exists().hasParent(run.output.resolve(nights.group(1)));
            count++;
        }
        assertThat(count).isEqualTo(2);
    }

    @Test
    void anImageThatChangedBehindTheSameUrlMakesItsRowBeSentAgain(CapturedOutput output) throws Exception {
        // given: an image host whose image can be replaced, and a run that delivered a video from it
        byte[] image;
        try (var in = getClass().getClassLoader().getResourceAsStream("simulator/reference.jpg")) {
            image = in.readAllBytes();
        }
        AtomicReference<byte[]> served = new AtomicReference<>(image);
        HttpServer host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/", exchange -> {
            byte[] body = served.get();
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        host.start();
        try {
            simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
            String url = "http://127.0.0.1:" + host.getAddress().getPort() + "/latest.jpg";
            BatchRun run = new BatchRun(dir).csv("id,prompt,image_url\ndog,The dog swims," + url + "\nsky,The sky,\n");
            assertThat(run.against(simulator)).isZero();

            // when: the same image again, then another image under the same URL
            int same = run.against(simulator);
            int createsBefore = simulator.requestCount("create");
            byte[] other = java.util.Arrays.copyOf(image, image.length + 16);
            served.set(other);
            int changed = run.against(simulator);

            // then: the unchanged image's video was reused; the new image's row was sent, the other row not
            assertThat(same).isZero();
            assertThat(changed).isZero();
            assertThat(createsBefore).isEqualTo(2);
            assertThat(simulator.createdPrompts()).containsExactly("The dog swims", "The sky", "The dog swims");
            assertThat(run.report()).extracting(r -> r.get("reused_from").isEmpty()).containsExactly(true, false);
            assertThat(output.getOut()).contains("row 1 (dog): not reused, so it is sent: the image at " + url
                    + " is no longer the one the earlier video was made from");
        } finally {
            host.stop(0);
        }
    }
}
