package dev.sorabatch.provider.fal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;

/** The simulated fal on the wire, as shared/providers-api.md §3 and §4 give it, call by call. */
class FalSimulatorTest {

    private static final String KEY = "key-id:key-secret";
    private final HttpClient http = HttpClient.newHttpClient();
    private FalSimulator fal;

    @AfterEach
    void close() {
        if (fal != null) {
            fal.close();
        }
    }

    private FalSimulator start(SimulatorSettings settings) {
        fal = new FalSimulator(settings, KEY).start();
        return fal;
    }

    private static SimulatorSettings fast() {
        SimulatorSettings settings = new SimulatorSettings();
        settings.setJobDuration(Duration.ofMillis(300));
        return settings;
    }

    @Test
    void aSubmitIsQueuedPolledAndItsVideoServedFromAnotherOriginWithoutAKey() throws Exception {
        SimulatorSettings settings = fast();
        settings.setJobDuration(Duration.ofSeconds(2)); // long enough to be seen in progress
        start(settings);

        HttpResponse<String> submit = post("/fal-ai/kling-video/v2.1/standard/image-to-video",
                "{\"prompt\":\"a cat\",\"image_url\":\"https://example.com/cat.jpg\",\"duration\":\"5\"}");
        JsonNode answer = json(submit);
        String id = answer.get("request_id").asString();
        String base = fal.queueUrl() + "/fal-ai/kling-video/requests/" + id;
        HttpResponse<String> firstStatus = get(answer.get("status_url").asString() + "?logs=1", KEY);
        await(() -> status(answer.get("status_url").asString()).statusCode() == 200);
        HttpResponse<String> done = get(answer.get("status_url").asString() + "?logs=true", KEY);
        HttpResponse<String> result = get(answer.get("response_url").asString(), KEY);
        String videoUrl = json(result).at("/video/url").asString();
        HttpResponse<byte[]> video = http.send(HttpRequest.newBuilder(URI.create(videoUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(submit.statusCode()).isEqualTo(200);
        assertThat(submit.headers().firstValue("x-fal-request-id")).contains(id);
        assertThat(answer.get("status").asString()).isEqualTo("IN_QUEUE");
        assertThat(answer.get("queue_position").asInt()).isZero();
        assertThat(answer.get("response_url").asString()).isEqualTo(base);
        assertThat(answer.get("status_url").asString()).isEqualTo(base + "/status");
        assertThat(answer.get("cancel_url").asString()).isEqualTo(base + "/cancel");
        assertThat(firstStatus.statusCode()).isEqualTo(202);
        assertThat(json(firstStatus).get("status").asString()).isEqualTo("IN_PROGRESS");
        assertThat(json(firstStatus).get("logs").isArray()).isTrue();
        assertThat(json(done).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(json(done).at("/metrics/inference_time").isNumber()).isTrue();
        assertThat(json(done).has("error")).isFalse();
        assertThat(json(status(answer.get("status_url").asString())).get("logs").isNull()).isTrue();
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(json(result).at("/video/content_type").asString()).isEqualTo("video/mp4");
        assertThat(json(result).at("/video/file_size").asInt()).isEqualTo(video.body().length);
        assertThat(URI.create(videoUrl).getPort()).isNotEqualTo(URI.create(fal.queueUrl()).getPort());
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(fal.filesSawAuthorization()).isFalse();
        assertThat(fal.createdPrompts()).containsExactly("a cat");
    }

    @Test
    void theFilesListenerNotesAKeySentToIt() throws Exception {
        start(fast());
        String id = json(post("/fal-ai/veo3.1", "{\"prompt\":\"p\"}")).get("request_id").asString();
        await(() -> status(fal.queueUrl() + "/fal-ai/veo3.1/requests/" + id + "/status").statusCode() == 200);
        String videoUrl = json(get(fal.queueUrl() + "/fal-ai/veo3.1/requests/" + id, KEY)).at("/video/url").asString();

        get(videoUrl, KEY);

        assertThat(fal.filesSawAuthorization()).isTrue();
    }

    @Test
    void aWrongOrMissingKeyIs401WithADetail() throws Exception {
        start(fast());

        HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(fal.queueUrl() + "/fal-ai/veo3.1"))
                .header("Authorization", "Key not-it").POST(HttpRequest.BodyPublishers.ofString("{}")));
        HttpResponse<String> bearer = send(HttpRequest.newBuilder(URI.create(fal.queueUrl() + "/fal-ai/veo3.1"))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString("{}")));
        HttpResponse<String> list = get(fal.apiUrl() + "/models/requests/by-endpoint" + "?endpoint_id=fal-ai/veo3.1", "nope");

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).get("detail").isString()).isTrue();
        assertThat(bearer.statusCode()).isEqualTo(401);
        assertThat(list.statusCode()).isEqualTo(401);
        assertThat(fal.createdPrompts()).isEmpty();
    }

    @Test
    void overTheConcurrencyCapRequestsWaitInQueueAndAreNeverRefused() throws Exception {
        SimulatorSettings settings = fast();
        settings.setMaxRunningJobs(1);
        settings.setJobDuration(Duration.ofMillis(600));
        start(settings);

        JsonNode first = json(post("/fal-ai/veo3.1", "{\"prompt\":\"one\"}"));
        JsonNode second = json(post("/fal-ai/veo3.1", "{\"prompt\":\"two\"}"));
        JsonNode third = json(post("/fal-ai/veo3.1", "{\"prompt\":\"three\"}"));
        HttpResponse<String> thirdStatus = status(third.get("status_url").asString());
        await(() -> status(third.get("status_url").asString()).statusCode() == 200);

        assertThat(second.get("queue_position").asInt()).isZero();
        assertThat(third.get("queue_position").asInt()).isEqualTo(1);
        assertThat(thirdStatus.statusCode()).isEqualTo(202);
        assertThat(json(thirdStatus).get("status").asString()).isEqualTo("IN_QUEUE");
        assertThat(json(thirdStatus).get("queue_position").asInt()).isEqualTo(1);
        assertThat(fal.maxConcurrentJobs()).isEqualTo(1);
        assertThat(fal.createdPrompts()).containsExactly("one", "two", "three");
        assertThat(first.get("request_id").asString()).isNotEqualTo(second.get("request_id").asString());
    }

    @Test
    void theModelRefusesABadInputWithAValidationDetailReplayedByTheResult() throws Exception {
        start(fast());

        JsonNode veo = json(post("/fal-ai/veo3.1", "{\"prompt\":\"p\",\"duration\":8,\"resolution\":\"2k\"}"));
        JsonNode kling = json(post("/fal-ai/kling-video/v2.1/standard/image-to-video",
                "{\"prompt\":\"p\",\"duration\":\"7\"}"));
        await(() -> status(kling.get("status_url").asString()).statusCode() == 200
                && status(veo.get("status_url").asString()).statusCode() == 200);
        HttpResponse<String> veoResult = get(veo.get("response_url").asString(), KEY);
        HttpResponse<String> klingResult = get(kling.get("response_url").asString(), KEY);

        assertThat(veoResult.statusCode()).isEqualTo(422);
        assertThat(veoResult.headers().firstValue("X-Fal-Retryable")).contains("false");
        assertThat(json(veoResult).at("/detail/0/loc").toString()).isEqualTo("[\"body\",\"duration\"]");
        assertThat(json(veoResult).at("/detail/0/type").asString()).isEqualTo("literal_error");
        assertThat(json(veoResult).at("/detail/0/msg").asString()).isEqualTo("Input should be '4s', '6s' or '8s'");
        assertThat(json(veoResult).at("/detail/1/loc/1").asString()).isEqualTo("resolution");
        assertThat(klingResult.statusCode()).isEqualTo(422);
        assertThat(json(klingResult).findValuesAsString("type")).containsExactly("literal_error", "missing");
    }

    @Test
    void aFlaggedPromptIsAContentPolicyViolationWithCategories() throws Exception {
        start(fast());

        JsonNode answer = json(post("/fal-ai/wan-25-preview/text-to-video",
                "{\"prompt\":\"hate speech [moderation]\"}"));
        await(() -> status(answer.get("status_url").asString()).statusCode() == 200);
        HttpResponse<String> result = get(answer.get("response_url").asString(), KEY);

        assertThat(result.statusCode()).isEqualTo(422);
        assertThat(json(result).at("/detail/0/type").asString()).isEqualTo("content_policy_violation");
        assertThat(json(result).at("/detail/0/categories").toString()).isEqualTo("[\"hate\"]");
    }

    @Test
    void aTimedOutRequestIsCompletedWithItsErrorTypeAndTheResultReplaysIt() throws Exception {
        start(fast());

        JsonNode answer = json(post("/fal-ai/veo3.1", "{\"prompt\":\"p [fail]\"}"));
        await(() -> status(answer.get("status_url").asString()).statusCode() == 200);
        JsonNode done = json(status(answer.get("status_url").asString()));
        HttpResponse<String> result = get(answer.get("response_url").asString(), KEY);

        assertThat(done.get("error_type").asString()).isEqualTo("request_timeout");
        assertThat(result.statusCode()).isEqualTo(504);
        assertThat(result.headers().firstValue("X-Fal-Error-Type")).contains("request_timeout");
        assertThat(json(result).get("error_type").asString()).isEqualTo("request_timeout");
    }

    @Test
    void statusResultAndCancelAnswerOnlyOnTheAppNotTheSubPath() throws Exception {
        start(fast());
        String id = json(post("/fal-ai/veo3.1/image-to-video", "{\"prompt\":\"p\",\"image_url\":"
                + "\"https://example.com/a.jpg\"}")).get("request_id").asString();

        HttpResponse<String> onSubPath = status(fal.queueUrl() + "/fal-ai/veo3.1/image-to-video/requests/" + id
                + "/status");
        HttpResponse<String> onOtherApp = status(fal.queueUrl() + "/fal-ai/kling-video/requests/" + id + "/status");

        assertThat(onSubPath.statusCode()).isEqualTo(404);
        assertThat(onOtherApp.statusCode()).isEqualTo(404);
    }

    @Test
    void cancelAnswersRequestedAlreadyCompletedOrNotFound() throws Exception {
        SimulatorSettings settings = fast();
        settings.setMaxRunningJobs(1);
        start(settings);
        JsonNode running = json(post("/fal-ai/veo3.1", "{\"prompt\":\"runs\"}"));
        JsonNode waiting = json(post("/fal-ai/veo3.1", "{\"prompt\":\"waits\"}"));

        HttpResponse<String> cancelled = put(waiting.get("cancel_url").asString());
        JsonNode afterCancel = json(status(waiting.get("status_url").asString()));
        await(() -> status(running.get("status_url").asString()).statusCode() == 200);
        HttpResponse<String> late = put(running.get("cancel_url").asString());
        HttpResponse<String> unknown = put(fal.queueUrl() + "/fal-ai/veo3.1/requests/no-such-id/cancel");

        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(json(cancelled).get("status").asString()).isEqualTo("CANCELLATION_REQUESTED");
        assertThat(afterCancel.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(json(late).get("status").asString()).isEqualTo("ALREADY_COMPLETED");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("status").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void theRequestListGivesEachRequestsInputByEndpointPageByPage() throws Exception {
        start(fast());
        post("/fal-ai/veo3.1", "{\"prompt\":\"first\"}");
        post("/fal-ai/veo3.1/fast", "{\"prompt\":\"elsewhere\"}");
        Thread.sleep(5); // newest first needs distinct milliseconds
        post("/fal-ai/veo3.1", "{\"prompt\":\"second\"}");
        Thread.sleep(5);
        send(HttpRequest.newBuilder(URI.create(fal.queueUrl() + "/fal-ai/veo3.1")).header("Authorization", "Key " + KEY)
                .header("X-Fal-Store-IO", "0").POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"private\"}")));
        String list = fal.apiUrl() + "/models/requests/by-endpoint" + "?endpoint_id=fal-ai/veo3.1&limit=2";

        JsonNode page1 = json(get(list, KEY));
        JsonNode page2 = json(get(list + "&cursor=" + page1.get("next_cursor").asString(), KEY));
        HttpResponse<String> tooMany = get(list.replace("limit=2", "limit=101"), KEY);

        assertThat(page1.get("has_more").asBoolean()).isTrue();
        assertThat(page1.at("/items/0/json_input").isMissingNode()).isTrue(); // sent with X-Fal-Store-IO: 0
        assertThat(page1.at("/items/1/json_input/prompt").asString()).isEqualTo("second");
        assertThat(page1.at("/items/1/endpoint_id").asString()).isEqualTo("fal-ai/veo3.1");
        assertThat(page1.at("/items/1/sent_at").asString()).endsWith("Z");
        assertThat(page2.get("items").size()).isEqualTo(1);
        assertThat(page2.at("/items/0/json_input/prompt").asString()).isEqualTo("first");
        assertThat(page2.get("has_more").asBoolean()).isFalse();
        assertThat(tooMany.statusCode()).isEqualTo(422);
    }

    @Test
    void aResultIsGoneOnceTheRetentionHasPassed() throws Exception {
        SimulatorSettings settings = fast();
        settings.setResultRetention(Duration.ofMillis(200));
        start(settings);
        JsonNode answer = json(post("/fal-ai/veo3.1", "{\"prompt\":\"p\"}"));
        await(() -> status(answer.get("status_url").asString()).statusCode() == 200);
        HttpResponse<String> inTime = get(answer.get("response_url").asString(), KEY);

        Thread.sleep(400);
        HttpResponse<String> late = get(answer.get("response_url").asString(), KEY);

        assertThat(inTime.statusCode()).isEqualTo(200);
        assertThat(late.statusCode()).isEqualTo(404);
        assertThat(fal.requestCount("result-expired")).isEqualTo(1);
    }

    @Test
    void aRestartedSimulatorKeepsItsAddressesAndItsRequests(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        SimulatorSettings settings = fast();
        settings.setStateFile(dir.resolve("simulator-jobs.jsonl"));
        start(settings);
        String statusUrl = json(post("/fal-ai/veo3.1", "{\"prompt\":\"kept\"}")).get("status_url").asString();
        String queue = fal.queueUrl();
        String api = fal.apiUrl();
        fal.close();

        start(settings); // as a resumed --simulate run does, in a new process
        await(() -> status(statusUrl).statusCode() == 200);

        assertThat(fal.queueUrl()).isEqualTo(queue);
        assertThat(fal.apiUrl()).isEqualTo(api);
        assertThat(json(status(statusUrl)).get("status").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void injectedFaultsAreNginxPagesOrFlatTypedErrorsAndLostSubmitsStillCreateTheRequest() throws Exception {
        SimulatorSettings errors = fast();
        errors.setServerErrorRate(1);
        start(errors);
        boolean sawPage = false;
        boolean sawTyped = false;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> reply = post("/fal-ai/veo3.1", "{\"prompt\":\"p\"}");
            assertThat(reply.statusCode()).isIn(502, 503);
            assertThat(reply.headers().firstValue("x-fal-request-id")).isEmpty();
            sawPage |= reply.body().contains("<center>nginx</center>");
            if (reply.headers().firstValue("X-Fal-Error-Type").isPresent()) {
                sawTyped = true;
                assertThat(reply.headers().firstValue("X-Fal-Retryable")).contains("true");
                assertThat(json(reply).get("error_type").asString()).isEqualTo("runner_scheduling_failure");
            }
        }
        fal.close();
        SimulatorSettings lost = fast();
        lost.setLostCreateResponseRate(1);
        start(lost);
        for (int i = 0; i < 4; i++) {
            try {
                assertThat(post("/fal-ai/veo3.1", "{\"prompt\":\"lost " + i + "\"}").statusCode()).isEqualTo(504);
            } catch (java.io.IOException dropped) {
                // the other half: the connection closes without an answer
            }
        }

        assertThat(sawPage).isTrue();
        assertThat(sawTyped).isTrue();
        assertThat(fal.createdPrompts()).containsExactly("lost 0", "lost 1", "lost 2", "lost 3");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(fal.queueUrl() + path)).header("Authorization", "Key " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> status(String url) {
        try {
            return get(url, KEY);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String url, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key " + key).GET());
    }

    private HttpResponse<String> put(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key " + KEY)
                .PUT(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Wire.parseOrNull(response.body());
    }

    private static void await(BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(20)).until(condition::getAsBoolean);
    }
}
