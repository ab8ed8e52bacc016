package dev.sorabatch.provider.openai;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.http.ApiKey;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ReferenceImage;
import dev.sorabatch.service.RequestRateLimiter;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class OpenAiVideosClientTest {

    private static final String KEY = "sk-test-1234567890";
    /** The spec's VideoResource example, with a field the spec does not list ({@code quality}). */
    private static final String VIDEO = """
            {"id":"video_123","object":"video","model":"sora-2","status":"queued","progress":0,
             "created_at":1712697600,"completed_at":null,"expires_at":null,"prompt":"A calico cat",
             "size":"1280x720","seconds":"8","quality":"standard","remixed_from_video_id":null,"error":null}""";

    private final ObjectMapper json = JsonMapper.builder().build();
    private MockWebServer server;
    private OpenAiVideosClient client;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        client = client(OpenAiVideosClient.Auth.BEARER);
    }

    private OpenAiVideosClient client(OpenAiVideosClient.Auth auth) {
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build();
        return new OpenAiVideosClient(server.url("/v1"), new ApiKey(KEY), auth, "sora-2", http, json,
                RequestRateLimiter.unlimited());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createSendsSecondsAsAStringAndSizeAsWxHWithABearerKey() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("x-request-id", "req-1").body(VIDEO).build());

        VideoJob job = client.create(new CreateVideoRequest("A calico cat", 1280, 720, 8, 1, null));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/videos");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.getHeaders().get("api-key")).isNull();
        JsonNode body = json.readTree(request.getBody().utf8());
        assertThat(body.get("model").asString()).isEqualTo("sora-2");
        assertThat(body.get("seconds").isString()).as("seconds must be a JSON string").isTrue();
        assertThat(body.get("seconds").asString()).isEqualTo("8");
        assertThat(body.get("size").asString()).isEqualTo("1280x720");
        assertThat(body.has("n_variants")).isFalse();
        assertThat(job.id()).isEqualTo("video_123");
        assertThat(job.isTerminal()).isFalse();
        assertThat(job.width()).isEqualTo(1280);
        assertThat(job.nSeconds()).isEqualTo(8);
        assertThat(job.requestId()).isEqualTo("req-1");
    }

    @Test
    void aRowModelWinsAndAnImageGoesAsANamedTypedInputReferencePart() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body(VIDEO).build());
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 1, 2 };

        client.create(new CreateVideoRequest("The dog swims", 720, 1280, 4, 1,
                new ReferenceImage("dog.png", "image/png", png), "sora-2-pro"));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Content-Type")).startsWith("multipart/form-data; boundary=");
        String body = request.getBody().string(StandardCharsets.ISO_8859_1);
        assertThat(body).contains("Content-Disposition: form-data; name=\"input_reference\"; filename=\"dog.png\"")
                .contains("Content-Type: image/png")
                .contains("name=\"model\"\r\n\r\nsora-2-pro\r\n")
                .contains("name=\"seconds\"\r\n\r\n4\r\n")
                .contains("name=\"size\"\r\n\r\n720x1280\r\n");
    }

    @Test
    void completedMeansSucceededWithTheVideoItsOwnGenerationAndFailedCarriesTheErrorCode() {
        server.enqueue(new MockResponse.Builder().code(200).body(VIDEO.replace("\"queued\",\"progress\":0",
                "\"completed\",\"progress\":100")).build());
        server.enqueue(new MockResponse.Builder().code(200).body(VIDEO.replace("\"queued\"", "\"failed\"")
                .replace("\"error\":null", "\"error\":{\"code\":\"moderation_blocked\",\"message\":\"Your request "
                        + "was blocked by our moderation system.\"}")).build());
        server.enqueue(new MockResponse.Builder().code(200).body(VIDEO.replace("\"queued\"", "\"rendering_4k\""))
                .build());

        VideoJob done = client.get("video_123", null);
        VideoJob refused = client.get("video_123", null);
        VideoJob unknown = client.get("video_123", null);

        assertThat(done.succeeded()).isTrue();
        assertThat(done.generationIds()).containsExactly("video_123");
        assertThat(done.progress()).isEqualTo(100);
        assertThat(refused.isTerminal()).isTrue();
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.failureReason()).startsWith("moderation_blocked");
        assertThat(dev.sorabatch.provider.sora.SoraDiagnoses.VIDEOS.ofFailedJob(refused)).contains("moderation").contains("Rephrase");
        // a status the spec does not list is not final, and does not break anything
        assertThat(unknown.status()).isEqualTo("rendering_4k");
        assertThat(unknown.isTerminal()).isFalse();
    }

    @Test
    void listAsksNewestFirstAndDownloadsNameTheVariant() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{\"object\":\"list\",\"data\":[" + VIDEO
                + "],\"first_id\":\"video_123\",\"last_id\":\"video_123\",\"has_more\":false}").build());
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "image/webp")
                .body("RIFF....WEBP").build());

        assertThat(client.list(20)).extracting(VideoJob::id).containsExactly("video_123");
        Path thumbnail = dir.resolve("x.webp");
        client.download("video_123", ContentKind.THUMBNAIL, thumbnail);

        RecordedRequest list = server.takeRequest();
        assertThat(list.getUrl().queryParameter("limit")).isEqualTo("20");
        assertThat(list.getUrl().queryParameter("order")).isEqualTo("desc");
        RecordedRequest download = server.takeRequest();
        assertThat(download.getUrl().encodedPath()).isEqualTo("/v1/videos/video_123/content");
        assertThat(download.getUrl().queryParameter("variant")).isEqualTo("thumbnail");
        assertThat(download.getHeaders().get("Accept")).isEqualTo("image/webp");
        assertThat(Files.readString(thumbnail)).isEqualTo("RIFF....WEBP");
        assertThat(client.extension(ContentKind.THUMBNAIL)).isEqualTo("webp");
    }

    @Test
    void azureHostsGetTheKeyAsApiKeyAndErrorsKeepTheirCode() throws Exception {
        assertThat(OpenAiVideosClient.authFor(HttpUrl.get("https://res.openai.azure.com/openai/v1")))
                .isEqualTo(OpenAiVideosClient.Auth.API_KEY);
        assertThat(OpenAiVideosClient.authFor(HttpUrl.get("https://api.openai.com/v1")))
                .isEqualTo(OpenAiVideosClient.Auth.BEARER);
        OpenAiVideosClient azure = client(OpenAiVideosClient.Auth.API_KEY);
        server.enqueue(new MockResponse.Builder().code(400).body("""
                {"error":{"message":"Invalid type for 'seconds': expected one of '4', '8', or '12', but got an integer instead.",
                 "type":"invalid_request_error","param":"seconds","code":"invalid_type"}}""").build());

        assertThatThrownBy(() -> azure.create(new CreateVideoRequest("p", 1280, 720, 4, 1, null)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo("invalid_type");
                    assertThat(e.kind()).isEqualTo(ErrorKind.ROW);
                    assertThat(Diagnoses.of(e, azure)).contains("size (e.g. 1280x720").contains("seconds");
                });
        assertThat(server.takeRequest().getHeaders().get("api-key")).isEqualTo(KEY);
    }

    @Test
    void aRejectedKeyIsSystemicAndNamesTheOpenAiVariable() {
        server.enqueue(new MockResponse.Builder().code(401).body("""
                {"error":{"message":"Incorrect API key provided: sk-test-****7890.","type":"invalid_request_error",
                 "param":null,"code":"invalid_api_key"}}""").build());

        assertThatThrownBy(() -> client.get("video_123", null))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.SYSTEMIC);
                    assertThat(Diagnoses.of(e, client)).contains("OPENAI_API_KEY").doesNotContain(KEY);
                });
    }
}
