package dev.sorabatch.provider.fal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ModelInputs;
import dev.sorabatch.service.VideoJob;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A submit whose answer was lost, found again in fal's request list by the exact input it sent. */
class FalRecoveryTest {

    private static final String KLING = FalQueueClientTest.KLING;
    private static final CreateVideoRequest ROW = new CreateVideoRequest("A dog runs", 0, 0, 10, 1, null, KLING,
            "https://images.test/dog.png", new ModelInputs("16:9", null, null, 42L, Map.of("cfg_scale", "0.5"), false));
    /** What the client sends for {@link #ROW}, as fal keeps it (its own key order). */
    private static final String SENT = "{\"seed\":42,\"prompt\":\"A dog runs\",\"duration\":\"10\",\"cfg_scale\":0.5,"
            + "\"aspect_ratio\":\"16:9\",\"image_url\":\"https://images.test/dog.png\"}";

    private MockWebServer fal;
    private FalQueueClient client;

    @BeforeEach
    void start() throws Exception {
        fal = new MockWebServer();
        fal.start();
        client = FalQueueClientTest.client(fal, "k-123456", FalQueueClient.DEFAULT_MODEL);
    }

    @AfterEach
    void stop() {
        fal.close();
    }

    private static String item(String id, String sentAt, String input) {
        return "{\"request_id\":\"" + id + "\",\"endpoint_id\":\"" + KLING + "\",\"sent_at\":\"" + sentAt + "\","
                + "\"started_at\":null,\"ended_at\":null,\"status_code\":null"
                + (input == null ? "" : ",\"json_input\":" + input) + "}";
    }

    @Test
    void theListOfTheRowsModelSinceTheSendIsReadPageByPageAndOnlyTheExactInputMatches() throws Exception {
        fal.enqueue(new MockResponse.Builder().code(200).body("{\"items\":[" + item("req-other-seed",
                "2026-12-01T10:00:03Z", SENT.replace("42", "43")) + "],\"next_cursor\":\"Mg==\",\"has_more\":true}")
                .build());
        fal.enqueue(new MockResponse.Builder().code(200).body("{\"items\":[" + item("req-ours",
                "2026-12-01T10:00:02Z", SENT) + "," + item("req-no-input", "2026-12-01T10:00:04Z", null)
                + "],\"next_cursor\":null,\"has_more\":false}").build());
        long since = java.time.Instant.parse("2026-12-01T10:00:00Z").getEpochSecond();

        List<VideoJob> jobs = client.recentJobsLike(ROW, since, 50);

        RecordedRequest first = fal.takeRequest();
        assertThat(first.getUrl().encodedPath()).isEqualTo("/v1/models/requests/by-endpoint");
        assertThat(first.getUrl().queryParameter("endpoint_id")).isEqualTo(KLING);
        assertThat(first.getUrl().queryParameter("limit")).isEqualTo("100");
        assertThat(first.getUrl().queryParameter("start")).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Key k-123456");
        assertThat(fal.takeRequest().getUrl().queryParameter("cursor")).isEqualTo("Mg==");
        assertThat(jobs).extracting(VideoJob::id).containsExactly("req-no-input", "req-other-seed", "req-ours");
        assertThat(jobs).filteredOn(job -> client.isJobFor(ROW, job, client.deployment())).extracting(VideoJob::id)
                .containsExactly("req-ours");
        assertThat(jobs).filteredOn(job -> !client.echoesInput(job)).extracting(VideoJob::id)
                .containsExactly("req-no-input");
        VideoJob ours = jobs.get(2);
        assertThat(ours.createdAt()).isEqualTo(since + 2);
        assertThat(ours.handle()).as("built from owner and app, for a recovered request only")
                .contains(fal.url("/fal-ai/kling-video/requests/req-ours/status").toString());
    }

    @Test
    void aRecoveredRequestIsPolledAtTheUrlBuiltFromItsOwnerAndApp() throws Exception {
        fal.enqueue(new MockResponse.Builder().code(200).body("{\"items\":[" + item("req-ours",
                "2026-12-01T10:00:02Z", SENT) + "],\"has_more\":false}").build());
        fal.enqueue(new MockResponse.Builder().code(202).body("{\"status\":\"IN_PROGRESS\"}").build());
        VideoJob recovered = client.recentJobsLike(ROW, 0, 50).get(0);

        VideoJob polled = client.get(recovered.id(), recovered.handle());

        fal.takeRequest();
        assertThat(fal.takeRequest().getUrl().encodedPath()).isEqualTo("/fal-ai/kling-video/requests/req-ours/status");
        assertThat(polled.isTerminal()).isFalse();
    }
}
