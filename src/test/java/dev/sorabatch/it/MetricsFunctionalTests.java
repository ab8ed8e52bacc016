package dev.sorabatch.it;

import static dev.sorabatch.it.Pushgateway.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The metrics as Prometheus gets them: a run against the simulator pushes to a real Pushgateway (README,
 * "Metrics"), and the Pushgateway then serves the run's own figures.
 */
@ExtendWith(OutputCaptureExtension.class)
class MetricsFunctionalTests {

    private static final String CSV = """
            id,prompt,image_url,width,height,n_seconds,n_variants
            sunset,A sunset over the sea,,480,480,4,1
            broken,A cat [fail],,480,480,3,1
            dog,The dog swims,https://example.com/images/dog.jpg,480,480,5,1
            wide,A wide shot of a field,,854,480,2,1
            bad,Not a number of seconds,,480,480,abc,1
            """;

    @TempDir
    Path dir;

    private Pushgateway pushgateway;

    @AfterEach
    void stopPushgateway() throws InterruptedException {
        if (pushgateway != null) {
            pushgateway.close();
        }
    }

    private Pushgateway pushgateway() throws Exception {
        Path binary = Pushgateway.binary();
        Prerequisites.require(binary != null, "the Prometheus Pushgateway (MetricsFunctionalTests)",
                Pushgateway.INSTALL);
        pushgateway = Pushgateway.start(binary, dir);
        return pushgateway;
    }

    @Test
    void aRunPushesItsRowsRequestsVideoSecondsCostAndBatchTimingsToThePushgateway() throws Exception {
        // given
        Pushgateway gateway = pushgateway();
        BatchRun run = new BatchRun(dir).csv(CSV);

        // when
        int exit = run.run("--simulate", "--sora.simulator.job-duration=400ms",
                "--sora.pricing.per-second.480x480=0.10", "--sora.metrics.pushgateway-url=" + gateway.url(),
                "--sora.metrics.job=nightly");

        // then
        assertThat(exit).isEqualTo(3); // one failed, one skipped
        List<Pushgateway.Sample> pushed = gateway.samples("nightly", "prompts.csv");
        assertThat(value(pushed, "sora_rows_total", "status", "succeeded")).isEqualTo(3);
        assertThat(value(pushed, "sora_rows_total", "status", "failed")).isEqualTo(1);
        assertThat(value(pushed, "sora_rows_total", "status", "skipped")).isEqualTo(1);
        assertThat(value(pushed, "sora_video_seconds_total")).isEqualTo(4 + 5 + 2);
        assertThat(value(pushed, "sora_cost_total")).isCloseTo(0.10 * (4 + 5), within(1e-9)); // 854x480 has no price
        assertThat(value(pushed, "sora_requests_total", "provider", "azure-sora", "operation", "create",
                "status", "200")).isEqualTo(4);
        assertThat(value(pushed, "sora_requests_total", "operation", "image", "status", "200")).isEqualTo(1);
        assertThat(value(pushed, "sora_requests_total", "operation", "poll")).isGreaterThanOrEqualTo(4);
        assertThat(value(pushed, "sora_requests_total", "operation", "download_video")).isEqualTo(3);
        assertThat(value(pushed, "sora_requests_total", "operation", "download_thumbnail")).isEqualTo(3);
        assertThat(value(pushed, "sora_job_duration_seconds_count", "status", "succeeded")).isEqualTo(3);
        assertThat(value(pushed, "sora_job_duration_seconds_count", "status", "failed")).isEqualTo(1);
        assertThat(value(pushed, "sora_job_duration_seconds_sum", "status", "succeeded")).isGreaterThan(3 * 0.4);
        assertThat(value(pushed, "sora_slot_wait_seconds_count")).isEqualTo(4);
        assertThat(value(pushed, "sora_jobs_in_flight")).isZero();
        // Spring Batch's own observations
        assertThat(value(pushed, "spring_batch_job_seconds_count", "spring_batch_job_name", "soraBatch",
                "spring_batch_job_status", "COMPLETED")).isEqualTo(1);
        for (String step : List.of("submit", "collect", "report")) {
            assertThat(value(pushed, "spring_batch_step_seconds_count", "spring_batch_step_name", step)).as(step)
                    .isEqualTo(1);
        }
    }

    @Test
    void aLongRunIsPushedWhileItRunsNotOnlyAtTheEnd() throws Exception {
        // given
        Pushgateway gateway = pushgateway();
        BatchRun run = new BatchRun(dir).csv("""
                prompt
                one
                two
                three
                """);

        // when
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run.run("--simulate",
                "--sora.simulator.job-duration=3s", "--sora.max-in-flight=2",
                "--sora.metrics.pushgateway-url=" + gateway.url(), "--sora.metrics.push-every=200ms"));
        double mostInFlightSeen = 0;
        while (!exit.isDone()) {
            mostInFlightSeen = Math.max(mostInFlightSeen,
                    value(gateway.samples("sora-batch", "prompts.csv"), "sora_jobs_in_flight"));
            Thread.sleep(100);
        }

        // then
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(mostInFlightSeen).as("jobs in flight, as pushed during the run").isEqualTo(2);
        assertThat(value(gateway.samples("sora-batch", "prompts.csv"), "sora_rows_total", "status", "succeeded"))
                .isEqualTo(3);
    }

    @Test
    void eachScheduledRunIsPushedWhenItEndsNotOnlyWhenTheProcessEnds(CapturedOutput output) throws Exception {
        // given: no periodic push to speak of, two nightly runs a few seconds apart
        Pushgateway gateway = pushgateway();
        BatchRun run = new BatchRun(dir).csv("""
                prompt
                moon
                sea
                """);

        // when
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run.run("--simulate",
                "--sora.simulator.job-duration=400ms", "--schedule=0 0 2 * * *", "--sora.schedule.time-scale=14400",
                "--sora.schedule.max-runs=2", "--sora.metrics.pushgateway-url=" + gateway.url(),
                "--sora.metrics.push-every=1h"));
        boolean firstRunSeenBeforeTheSecondStarted = false;
        while (!exit.isDone() && !firstRunSeenBeforeTheSecondStarted) {
            double succeeded = value(gateway.samples("sora-batch", "prompts.csv"), "sora_rows_total", "status",
                    "succeeded");
            // read after the Pushgateway: the second run pushes when it starts, after saying so
            long runsStarted = output.getOut().lines().filter(l -> l.contains("scheduled run ")
                    && l.contains(" of ")).count();
            firstRunSeenBeforeTheSecondStarted = succeeded == 2 && runsStarted == 1;
            Thread.sleep(50);
        }

        // then
        assertThat(firstRunSeenBeforeTheSecondStarted).as("the first run's rows, pushed when it ended").isTrue();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(value(gateway.samples("sora-batch", "prompts.csv"), "sora_rows_total", "status", "succeeded"))
                .isEqualTo(4);
    }

    @Test
    void aDryRunPushesNothing() throws Exception {
        // given
        Pushgateway gateway = pushgateway();
        BatchRun run = new BatchRun(dir).csv(CSV);

        // when
        int exit = run.run("--dry-run", "--sora.metrics.pushgateway-url=" + gateway.url());

        // then
        assertThat(exit).isEqualTo(3);
        assertThat(gateway.samples("sora-batch", "prompts.csv")).isEmpty();
    }

    @Test
    void aPushgatewayThatCannotBeReachedIsOneLineAndTheRunGoesOn(CapturedOutput output) throws Exception {
        // given
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        BatchRun run = new BatchRun(dir).csv("""
                prompt
                one
                """);

        // when
        int exit = run.run("--simulate", "--sora.simulator.job-duration=400ms",
                "--sora.metrics.pushgateway-url=http://127.0.0.1:" + closed, "--sora.metrics.push-every=100ms");

        // then
        assertThat(exit).isZero();
        assertThat(output.getOut()).contains("metrics: the push to the Pushgateway at http://127.0.0.1:" + closed
                + " failed").doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aPushgatewayUrlThatIsNotAnHttpUrlIsRefusedBeforeAnythingRuns(CapturedOutput output) throws Exception {
        // given
        BatchRun run = new BatchRun(dir).csv(CSV);

        // when
        int exit = run.run("--simulate", "--sora.metrics.pushgateway-url=pushgateway:9091");

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("sora.metrics.pushgateway-url is not an http(s) URL of a Pushgateway: "
                + "'pushgateway:9091'");
    }
}
