package dev.sorabatch.provider.fal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.http.ApiKey;
import dev.sorabatch.http.HttpDeadlines;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ModelInputs;
import dev.sorabatch.service.RequestRateLimiter;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fal queue client against two servers: {@code fal} plays the queue and the platform API (one origin, as the
 * key's scope), {@code cdn} the file host (another origin, which must never see the key).
 */
class FalQueueClientTest {

    static final String KEY = "fal-key-id:fal-key-secret-123";
    static final String KLING = "fal-ai/kling-video/v2.1/standard/image-to-video";
    static final String ID = "80e732af-660e-45cd-bd63-580e4f2a94cc";

    final ObjectMapper json = JsonMapper.builder().build();
    MockWebServer fal;
    MockWebServer cdn;
    FalQueueClient client;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        fal = new MockWebServer();
        fal.start();
        cdn = new MockWebServer();
        cdn.start();
        client = client(fal, KEY, FalQueueClient.DEFAULT_MODEL);
    }

    /** A client whose queue ({@code /}) and platform API ({@code /v1}) are both on {@code fal}. */
    static FalQueueClient client(MockWebServer fal, String key, String model) {
        return new FalQueueClient(fal.url("/"), fal.url("/v1"), new ApiKey(key), model,
                new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build(), JsonMapper.builder().build(),
                RequestRateLimiter.unlimited(), HttpDeadlines.DEFAULT);
    }

    @AfterEach
    void stop() {
        fal.close();
        cdn.close();
    }

    /** A submit answer as fal gives it: the URLs use only owner and app, the model's sub-path is gone. */
    String submitted(String app) {
        String base = fal.url("/" + app + "/requests/" + ID).toString();
        return "{\"request_id\":\"" + ID + "\",\"response_url\":\"" + base + "\",\"status_url\":\"" + base
                + "/status\",\"cancel_url\":\"" + base + "/cancel\",\"status\":\"IN_QUEUE\",\"queue_position\":0}";
    }

    static MockResponse answer(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    static CreateVideoRequest request(String prompt, int seconds, String model, String imageUrl, ModelInputs inputs) {
        return new CreateVideoRequest(prompt, 0, 0, seconds, 1, null, model, imageUrl, inputs);
    }

    static ModelInputs params(Map<String, String> params) {
        return new ModelInputs("16:9", null, "blur", 7L, params, false);
    }

    @Test
    void theSubmitSendsTheModelInputTypedWithTheKeyToTheModelsPath() throws Exception {
        fal.enqueue(answer(200, submitted("fal-ai/kling-video")));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("cfg_scale", "0.5");
        params.put("steps", "30");
        params.put("enable_safety_checker", "false");
        params.put("tags", "[\"a\", \"b\"]");
        params.put("style", "cinematic, soft");

        VideoJob job = client.create(request("A dog runs", 10, KLING, "https://images.test/dog.png", params(params)));

        RecordedRequest submit = fal.takeRequest();
        assertThat(submit.getMethod()).isEqualTo("POST");
        assertThat(submit.getUrl().encodedPath()).isEqualTo("/" + KLING);
        assertThat(submit.getHeaders().get("Authorization")).isEqualTo("Key " + KEY);
        JsonNode body = json.readTree(submit.getBody().utf8());
        assertThat(body.get("prompt").asString()).isEqualTo("A dog runs");
        assertThat(body.get("image_url").asString()).isEqualTo("https://images.test/dog.png");
        assertThat(body.get("duration").isString()).as("kling's duration is a string").isTrue();
        assertThat(body.get("duration").asString()).isEqualTo("10");
        assertThat(body.get("aspect_ratio").asString()).isEqualTo("16:9");
        assertThat(body.get("negative_prompt").asString()).isEqualTo("blur");
        assertThat(body.get("seed").isIntegralNumber()).isTrue();
        assertThat(body.get("seed").asLong()).isEqualTo(7);
        assertThat(body.get("cfg_scale").isDouble()).isTrue();
        assertThat(body.get("cfg_scale").asDouble()).isEqualTo(0.5);
        assertThat(body.get("steps").isIntegralNumber()).isTrue();
        assertThat(body.get("enable_safety_checker").isBoolean()).isTrue();
        assertThat(body.get("enable_safety_checker").asBoolean()).isFalse();
        assertThat(body.get("tags").isArray()).isTrue();
        assertThat(body.get("style").asString()).isEqualTo("cinematic, soft");
        assertThat(body.has("resolution")).isFalse();
        assertThat(job.id()).isEqualTo(ID);
        assertThat(job.isTerminal()).isFalse();
        assertThat(job.handle()).contains("/fal-ai/kling-video/requests/" + ID + "/status");
    }

    @Test
    void veoTakesSecondsWithAnSuffixAndARowWithoutSecondsSendsNoDuration() throws Exception {
        fal.enqueue(answer(200, submitted("fal-ai/veo3.1")));
        fal.enqueue(answer(200, submitted("fal-ai/veo3.1")));

        client.create(request("p", 6, null, null, ModelInputs.NONE));
        client.create(request("p", 8, null, null, new ModelInputs(null, "1080p", null, null, Map.of(), true)));

        RecordedRequest six = fal.takeRequest();
        assertThat(six.getUrl().encodedPath()).isEqualTo("/fal-ai/veo3.1/fast");
        assertThat(json.readTree(six.getBody().utf8()).get("duration").asString()).isEqualTo("6s");
        JsonNode none = json.readTree(fal.takeRequest().getBody().utf8());
        assertThat(none.has("duration")).as("the model's default").isFalse();
        assertThat(none.get("resolution").asString()).isEqualTo("1080p");
    }

    @Test
    void theStatusIsPolledAtTheUrlGivenAndTheResultFetchedAtOnceWhenCompleted() throws Exception {
        fal.enqueue(answer(200, submitted("fal-ai/kling-video")));
        fal.enqueue(answer(202, "{\"status\":\"IN_QUEUE\",\"queue_position\":3,\"request_id\":\"" + ID + "\"}"));
        fal.enqueue(answer(202, "{\"status\":\"IN_PROGRESS\",\"logs\":null}"));
        fal.enqueue(answer(200, "{\"status\":\"COMPLETED\",\"logs\":[],\"metrics\":{\"inference_time\":84.2}}"));
        String video = cdn.url("/files/falcon/output.mp4").toString();
        fal.enqueue(answer(200, "{\"video\":{\"url\":\"" + video + "\",\"content_type\":\"video/mp4\"}}"));
        VideoJob submitted = client.create(request("p", 5, KLING, "https://images.test/dog.png", ModelInputs.NONE));
        fal.takeRequest();

        VideoJob queued = client.get(submitted.id(), submitted.handle());
        VideoJob running = client.get(submitted.id(), submitted.handle());
        VideoJob done = client.get(submitted.id(), submitted.handle());

        RecordedRequest poll = fal.takeRequest();
        assertThat(poll.getMethod()).isEqualTo("GET");
        assertThat(poll.getUrl().encodedPath()).as("the sub-path is dropped, as fal answered")
                .isEqualTo("/fal-ai/kling-video/requests/" + ID + "/status");
        assertThat(poll.getUrl().queryParameter("logs")).isEqualTo("0");
        assertThat(poll.getHeaders().get("Authorization")).isEqualTo("Key " + KEY);
        assertThat(queued.queuePosition()).isEqualTo(3);
        assertThat(queued.isTerminal()).isFalse();
        assertThat(running.isTerminal()).isFalse();
        fal.takeRequest();
        assertThat(fal.takeRequest().getUrl().encodedPath()).endsWith("/status");
        RecordedRequest result = fal.takeRequest();
        assertThat(result.getUrl().encodedPath()).isEqualTo("/fal-ai/kling-video/requests/" + ID);
        assertThat(done.isTerminal()).isTrue();
        assertThat(done.succeeded()).isTrue();
        assertThat(done.generationIds()).containsExactly(video);
    }

    @Test
    void aCompletedStatusWithAnErrorIsAFailedJobInFalsWordsEvenWhenTheResultAddsNothing() {
        fal.enqueue(answer(200, "{\"status\":\"COMPLETED\",\"error\":\"Request timed out\","
                + "\"error_type\":\"request_timeout\"}"));
        fal.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway</html>").build());

        VideoJob job = client.get(ID, handle(fal.url("/fal-ai/veo3.1/requests/" + ID).toString()));

        assertThat(job.isTerminal()).isTrue();
        assertThat(job.succeeded()).isFalse();
        assertThat(job.failureReason()).isEqualTo("request_timeout: Request timed out");
        assertThat(fal.getRequestCount()).as("the status, then its result for the full error").isEqualTo(2);
        assertThat(client.diagnoses().ofFailedJob(job)).contains(ID).contains("timed out");
    }

    @Test
    void aCompletedStatusWithAnErrorTakesTheModelsFullErrorFromTheResult() {
        String base = fal.url("/fal-ai/veo3.1/requests/" + ID).toString();
        fal.enqueue(answer(200, "{\"status\":\"COMPLETED\",\"error\":\"The content was flagged by a content "
                + "checker.\"}"));
        fal.enqueue(answer(422, "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"The content was flagged by a "
                + "content checker.\",\"type\":\"content_policy_violation\",\"categories\":[\"sexual\"]}]}"));

        VideoJob flagged = client.get(ID, handle(base));

        assertThat(flagged.isTerminal()).isTrue();
        assertThat(flagged.succeeded()).isFalse();
        assertThat(client.diagnoses().ofFailedJob(flagged)).contains("sexual").containsIgnoringCase("rephrase");
    }

    @Test
    void aResultThatReplaysTheModelsErrorIsAFailedJob() {
        String base = fal.url("/fal-ai/veo3.1/requests/" + ID).toString();
        fal.enqueue(answer(200, "{\"status\":\"COMPLETED\"}"));
        fal.enqueue(answer(422, "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"The content was flagged by a "
                + "content checker.\",\"type\":\"content_policy_violation\",\"categories\":[\"violence\"]}]}"));
        fal.enqueue(answer(200, "{\"status\":\"COMPLETED\"}"));
        fal.enqueue(new MockResponse.Builder().code(504).addHeader("X-Fal-Error-Type", "request_timeout")
                .body("{\"detail\":\"Request timed out\",\"error_type\":\"request_timeout\"}").build());

        VideoJob flagged = client.get(ID, handle(base));
        VideoJob timedOut = client.get(ID, handle(base));

        assertThat(flagged.isTerminal()).isTrue();
        assertThat(flagged.succeeded()).isFalse();
        assertThat(flagged.failureReason()).startsWith("content_policy_violation").contains("flagged")
                .contains("violence");
        assertThat(client.diagnoses().ofFailedJob(flagged)).contains("content checker").contains("Rephrase");
        assertThat(timedOut.isTerminal()).isTrue();
        assertThat(timedOut.failureReason()).isEqualTo("request_timeout: Request timed out");
    }

    @Test
    void theVideoComesFromTheCdnWithoutTheKeyEvenWhenItRedirectsToTheQueue() throws Exception {
        byte[] mp4 = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2' };
        cdn.enqueue(new MockResponse.Builder().code(302).addHeader("Location", fal.url("/files/v.mp4")).build());
        fal.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "video/mp4")
                .body(new okio.Buffer().write(mp4)).build());
        Path target = dir.resolve("row-1.mp4");

        long saved = client.download(cdn.url("/files/falcon/output.mp4").toString(), ContentKind.VIDEO, target);

        assertThat(saved).isEqualTo(mp4.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(mp4);
        assertThat(cdn.takeRequest().getHeaders().get("Authorization")).isNull();
        assertThat(fal.takeRequest().getHeaders().get("Authorization")).as("no credential on a file download")
                .isNull();
        assertThat(client.traits().thumbnails()).isFalse();
    }

    @Test
    void aStatusUrlOnAnotherHostIsNotCalledAndTheRowFailsNamingTheHost() {
        okhttp3.HttpUrl cdnUrl = cdn.url("/fal-ai/veo3.1/requests/" + ID);
        // the same listener under another name: reachable, so a call would be counted, but not the queue's host
        String otherHost = fal.url("/").host().equals("localhost") ? "127.0.0.1" : "localhost";
        String foreign = cdnUrl.newBuilder().host(otherHost).build().toString();

        assertThatThrownBy(() -> client.get(ID, handle(foreign)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ROW);
                    String diagnosis = Diagnoses.of(e, client);
                    assertThat(diagnosis).contains(otherHost + ":" + cdn.getPort()).contains("FAL_QUEUE_URL")
                            .doesNotContain(KEY);
                });
        assertThatThrownBy(() -> client.cancel(ID, handle(foreign))).isInstanceOf(ServiceException.class);
        assertThat(cdn.getRequestCount()).as("neither with the key nor without it").isZero();
    }

    @Test
    void aStatusUrlOnAnotherPortOfTheQueuesHostIsFollowedWithTheKey() throws Exception {
        String other = cdn.url("/fal-ai/veo3.1/requests/" + ID).newBuilder().host(fal.url("/").host()).build()
                .toString();
        cdn.enqueue(answer(202, "{\"status\":\"IN_QUEUE\",\"queue_position\":3}"));

        VideoJob job = client.get(ID, handle(other));

        assertThat(job.queuePosition()).isEqualTo(3);
        assertThat(cdn.takeRequest().getHeaders().get("Authorization")).isEqualTo("Key " + KEY);
    }

    @Test
    void cancelPutsTheCancelUrlAndAnAlreadyCompletedRequestIsFine() throws Exception {
        String base = fal.url("/fal-ai/veo3.1/requests/" + ID).toString();
        fal.enqueue(answer(202, "{\"status\":\"CANCELLATION_REQUESTED\"}"));
        fal.enqueue(answer(400, "{\"status\":\"ALREADY_COMPLETED\"}"));

        client.cancel(ID, handle(base));
        client.cancel(ID, handle(base));

        RecordedRequest cancel = fal.takeRequest();
        assertThat(cancel.getMethod()).isEqualTo("PUT");
        assertThat(cancel.getUrl().encodedPath()).isEqualTo("/fal-ai/veo3.1/requests/" + ID + "/cancel");
    }

    @Test
    void aRefusedKeyStopsTheRunAndItsDiagnosisNamesFalKeyNeverTheKey() {
        fal.enqueue(new MockResponse.Builder().code(401).addHeader("x-fal-request-id", "req-401")
                .body("{\"detail\":\"Invalid key " + KEY + "\"}").build());

        assertThatThrownBy(() -> client.create(request("p", 6, null, null, ModelInputs.NONE)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.SYSTEMIC);
                    assertThat(e.requestId()).isEqualTo("req-401");
                    assertThat(e.getMessage()).doesNotContain("fal-key-secret-123");
                    assertThat(Diagnoses.of(e, client)).contains("FAL_KEY").contains("x-fal-request-id req-401")
                            .doesNotContain("fal-key-secret-123");
                });
    }

    static String handle(String requestUrl) {
        return "{\"status_url\":\"" + requestUrl + "/status\",\"response_url\":\"" + requestUrl
                + "\",\"cancel_url\":\"" + requestUrl + "/cancel\"}";
    }
}
