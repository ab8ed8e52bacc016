package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.SoraBatchApplication;
import dev.sorabatch.cli.SoraSimulator;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * Whole runs against what a hostile or broken network does: a key pasted from a CRLF file or with a stray control
 * character, an image host that drips its bytes, a redirect loop in front of the downloads.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileServerFunctionalTests extends SimulatedServiceTest {

    private static final String KEY = "hostile-key-0123456789";

    private MockWebServer images;

    @AfterEach
    void stopImages() {
        if (images != null) {
            images.close();
        }
    }

    /** An image host whose first image arrives one byte every 200 ms: 200 bytes take 40 s. */
    private String drippingImage() throws Exception {
        images = new MockWebServer();
        byte[] jpeg = new byte[200];
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        jpeg[2] = (byte) 0xFF;
        images.enqueue(new MockResponse.Builder().code(200).body(new okio.Buffer().write(jpeg))
                .throttleBody(1, 200, TimeUnit.MILLISECONDS).build());
        images.start();
        return images.url("/drip.jpg").toString();
    }

    @Test
    void aKeyEndingInACarriageReturnIsTrimmedAndTheRunSucceeds(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\n");

        int exit = run.against(simulator, "--sora.api-key=" + KEY + "\r");

        assertThat(exit).as(output.toString()).isZero();
        assertThat(run.report()).singleElement().satisfies(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(output).doesNotContain(KEY);
    }

    @Test
    void aKeyWithAControlCharacterIsRefusedNamingThePositionNeverTheValue(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("prompt\na\n");
        String broken = "hostile\u0007" + KEY;

        int exit = run.against(simulator, "--sora.api-key=" + broken);
        int doctor = SoraBatchApplication.run("doctor", "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("d/jobs"),
                "--sora.dotenv.dir=" + dir, "--sora.endpoint=" + simulator.baseUrl(), "--sora.api-key=" + broken);

        assertThat(exit).isEqualTo(2);
        assertThat(doctor).isEqualTo(2);
        assertThat(output.toString()).contains("AZURE_API_KEY has a character an HTTP header cannot carry at "
                + "position 8 (U+0007)").contains("FAIL  AZURE_API_KEY has a character")
                .doesNotContain(KEY).doesNotContain("hostile\u0007").doesNotContain("Unexpected char")
                .doesNotContain("\tat ");
        assertThat(simulator.createdPrompts()).isEmpty();
    }

    @Test
    void aDrippingImageFailsItsRowInBoundedTimeAndLaterRowsStillSucceed(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt,image_url\nslow,first," + drippingImage()
                + "\nb,second,\nc,third,\n");
        long started = System.nanoTime();

        int exit = run.against(simulator, "--sora.http.image-deadline=1s");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(exit).isEqualTo(3);
        List<Map<String, String>> report = run.report();
        assertThat(report.get(0)).containsEntry("status", "FAILED");
        assertThat(report.get(0).get("diagnosis")).contains("'" + images.getHostName() + "' sent")
                .contains("bytes in 1 s").contains("sora.http.image-deadline");
        assertThat(report.subList(1, 3)).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCEEDED"));
        assertThat(simulator.createdPrompts()).containsExactlyInAnyOrder("second", "third");
    }

    @Test
    void sigtermWhileAnImageDripsStopsTheRunAndWritesTheReport() throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        BatchRun run = new BatchRun(dir).csv("id,prompt,image_url\nslow,first," + drippingImage() + "\nb,second,\n");
        Process child = run.startInOwnJvm("dripping-run.log", "--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=" + KEY);
        CoreJobFunctionalTests.await(() -> images.getRequestCount() >= 1);

        child.destroy();
        boolean exited = child.waitFor(40, TimeUnit.SECONDS);
        String log = Files.readString(dir.resolve("dripping-run.log"));

        assertThat(exited).as(log).isTrue();
        assertThat(child.exitValue()).as(log).isEqualTo(1);
        assertThat(log).contains("the run stopped (STOPPED)").doesNotContain("did not stop within");
        assertThat(run.output.resolve("report.csv")).exists();
        assertThat(simulator.createdPrompts()).isEmpty();
    }
}
