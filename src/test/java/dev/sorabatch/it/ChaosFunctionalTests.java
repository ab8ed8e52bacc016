package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/**
 * "Every row ends in the report exactly once, with a terminal status": a seeded run over many rows while the
 * service throttles (with and without Retry-After), fails with 500/503, drops connections, cuts downloads, loses
 * create answers, answers past the read time-out, and uses both error envelopes at random; the report is checked
 * row by row against what each row should have become.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChaosFunctionalTests extends SimulatedServiceTest {

    private static final String KEY = "chaos-key-a8f3e1d2c4b5";
    private static final int ROWS = 60;

    @Test
    void everyRowEndsInTheReportExactlyOnceWithItsRightStatusUnderRandomFaults(CapturedOutput output) throws Exception {
        // given
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(500));
        settings.setMaxRunningJobs(4);
        settings.setThrottleRate(0.06);
        settings.setServerErrorRate(0.06);
        settings.setConnectionResetRate(0.04);
        settings.setTruncatedDownloadRate(0.15);
        settings.setLostCreateResponseRate(0.1);
        settings.setSlowResponseRate(0.03);
        settings.setSlowResponseDelay(Duration.ofMillis(1500));
        settings.setErrorEnvelope("random");
        settings.setSeed(Long.getLong("chaos.seed", 1124));
        simulator = new SoraSimulator(settings, KEY).start();
        String images = simulator.baseUrl() + SoraSimulator.IMAGE_PATH;
        Map<String, String> expected = new LinkedHashMap<>();
        List<String> sent = new ArrayList<>();
        StringBuilder csv = new StringBuilder("id,prompt,image_url,n_seconds\n");
        for (int i = 1; i <= ROWS; i++) {
            String id = "c" + i;
            String prompt = "chaos clip " + i;
            String image = "";
            String seconds = "";
            String status = "SUCCEEDED";
            if (i % 12 == 0) {
                seconds = "25";
                status = "SKIPPED";
            } else if (i % 10 == 0) {
                prompt += " [fail]";
                status = "FAILED";
            } else if (i % 15 == 1) {
                prompt += " [moderation]";
                status = "FAILED";
            } else if (i % 17 == 0) {
                image = images + "/cdn/missing-" + i + ".jpg";
                status = "FAILED";
            } else if (i % 7 == 0) {
                image = images + "/cdn/photo-" + i + ".jpg";
            }
            if (!status.equals("SKIPPED") && image.isEmpty() || status.equals("SUCCEEDED")) {
                sent.add(prompt);
            }
            expected.put(id, status);
            csv.append(id).append(',').append(prompt).append(',').append(image).append(',').append(seconds).append('\n');
        }
        BatchRun run = new BatchRun(dir).csv(csv.toString());

        // when
        int exit = run.against(simulator, "--sora.max-in-flight=4", "--sora.poll.interval=150ms",
                "--sora.http.read-timeout=700ms", "--sora.retry.max-attempts=12",
                "--sora.retry.orphan-settle=1500ms");

        // then: every row once, in order, with the status it deserves
        assertThat(exit).isEqualTo(3);
        List<Map<String, String>> report = run.report();
        assertThat(report).extracting(r -> r.get("id")).containsExactlyElementsOf(expected.keySet());
        for (Map<String, String> row : report) {
            assertThat(row.get("status")).as(row.toString()).isEqualTo(expected.get(row.get("id")));
            if (!row.get("status").equals("SUCCEEDED")) {
                assertThat(row.get("diagnosis")).as(row.toString()).isNotBlank().doesNotContainIgnoringCase("unknown");
            }
        }
        // no row paid twice, no row refused before sending was sent
        assertThat(simulator.createdPrompts()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
        long sample = getClass().getClassLoader().getResourceAsStream("simulator/sample.mp4").readAllBytes().length;
        for (Map<String, String> row : report) {
            if (row.get("status").equals("SUCCEEDED")) {
                assertThat(Files.size(Path.of(row.get("video_files")))).isEqualTo(sample);
            }
        }
        // every fault kind was actually injected
        for (String fault : List.of("throttled", "server-error", "reset", "truncated", "lost-create-response", "slow")) {
            assertThat(simulator.requestCount(fault)).as(fault).isPositive();
        }
        // the key appears nowhere
        assertThat(output).doesNotContain(KEY);
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("repo")).toList()) {
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(KEY);
            }
        }
        System.out.printf("chaos: %d rows; injected throttled=%d server-error=%d reset=%d truncated=%d "
                + "lost-create-response=%d slow=%d too-many-running=%d%n", ROWS, simulator.requestCount("throttled"),
                simulator.requestCount("server-error"), simulator.requestCount("reset"),
                simulator.requestCount("truncated"), simulator.requestCount("lost-create-response"),
                simulator.requestCount("slow"), simulator.requestCount("too-many-running"));
    }
}
