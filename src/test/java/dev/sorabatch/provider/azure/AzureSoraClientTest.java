package dev.sorabatch.provider.azure;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.http.ApiKey;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ReferenceImage;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import okhttp3.OkHttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class AzureSoraClientTest {

    private static final String KEY = "secret-key-1234567890";
    private static final String JOB = """
            {"object":"video.generation.job","id":"task_01jwcet0eje35tc5jy54yjax5q","status":"queued",
             "created_at":1748469875,"finished_at":null,"expires_at":null,"generations":[],
             "prompt":"A cat playing piano in a jazz bar.","model":"sora","n_variants":1,"n_seconds":5,
             "height":480,"width":480,"failure_reason":null}""";

    private final ObjectMapper json = JsonMapper.builder().build();
    private MockWebServer server;
    private AzureSoraClient client;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build();
        client = new AzureSoraClient(AzureEndpoint.parse(server.url("/").toString()), new ApiKey(KEY), "sora", http, json);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createSendsTheDocumentedJsonBodyWithTheKeyHeader() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("apim-request-id", "req-1").body(JOB).build());

        VideoJob job = client.create(new CreateVideoRequest("A cat playing piano in a jazz bar.", 480, 480, 5, 1, null));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/openai/v1/video/generations/jobs");
        assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("preview");
        assertThat(request.getHeaders().get("api-key")).isEqualTo(KEY);
        JsonNode body = json.readTree(request.getBody().utf8());
        assertThat(body.get("model").asString()).isEqualTo("sora");
        assertThat(body.get("prompt").asString()).isEqualTo("A cat playing piano in a jazz bar.");
        assertThat(body.get("width").isInt()).isTrue();
        assertThat(body.get("height").asInt()).isEqualTo(480);
        assertThat(body.get("n_seconds").asInt()).isEqualTo(5);
        assertThat(body.get("n_variants").asInt()).isEqualTo(1);
        assertThat(job.id()).isEqualTo("task_01jwcet0eje35tc5jy54yjax5q");
        assertThat(job.status()).isEqualTo("queued");
        assertThat(job.isTerminal()).isFalse();
        assertThat(job.requestId()).isEqualTo("req-1");
    }

    @Test
    void imageRowsAreSentAsMultipartWithANamedTypedFilePartAndInpaintItemsAsAJsonString() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body(JOB).build());
        byte[] jpeg = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3 };

        client.create(new CreateVideoRequest("The dog swims", 480, 480, 4, 1,
                new ReferenceImage("dog_swimming.jpg", "image/jpeg", jpeg)));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Content-Type")).startsWith("multipart/form-data; boundary=");
        String body = request.getBody().string(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(body).contains("Content-Disposition: form-data; name=\"files\"; filename=\"dog_swimming.jpg\"")
                .contains("Content-Type: image/jpeg")
                .contains("name=\"inpaint_items\"")
                .contains("[{\"frame_index\":0,\"type\":\"image\",\"file_name\":\"dog_swimming.jpg\"}]")
                .contains("name=\"n_seconds\"\r\n\r\n4\r\n");
    }

    @Test
    void pollReadsGenerationsAndTerminalStatus() {
        server.enqueue(new MockResponse.Builder().code(200).body(JOB.replace("\"queued\"", "\"succeeded\"")
                .replace("\"generations\":[]", "\"generations\":[{\"object\":\"video.generation\",\"id\":\"gen_1\","
                        + "\"job_id\":\"task_x\",\"created_at\":1,\"width\":480,\"height\":480,\"n_seconds\":5,"
                        + "\"prompt\":\"p\",\"unknown_field\":{\"a\":1}}]")).build());

        VideoJob job = client.get("task_01jwcet0eje35tc5jy54yjax5q", null);

        assertThat(job.succeeded()).isTrue();
        assertThat(job.generationIds()).containsExactly("gen_1");
    }

    @Test
    void parsesTheWrappedErrorEnvelope() {
        server.enqueue(new MockResponse.Builder().code(404).addHeader("apim-request-id", "req-404").body("""
                {"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}""")
                .build());

        assertThatThrownBy(() -> client.create(new CreateVideoRequest("p", 480, 480, 5, 1, null)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.SYSTEMIC);
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo("DeploymentNotFound");
                    assertThat(e.requestId()).isEqualTo("req-404");
                    assertThat(Diagnoses.of(e, client)).contains("no Sora deployment named 'sora'");
                });
    }

    @Test
    void parsesTheTopLevelErrorEnvelopeWithInnerErrorAsAContentRefusal() {
        server.enqueue(new MockResponse.Builder().code(400).body("""
                {"code":"content_policy_violation","message":"Your request was rejected by the safety system.",
                 "inner_error":{"code":"ResponsibleAIPolicyViolation","revised_prompt":null}}""").build());

        assertThatThrownBy(() -> client.create(new CreateVideoRequest("p", 480, 480, 5, 1, null)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ROW);
                    assertThat(e.innerCode()).isEqualTo("ResponsibleAIPolicyViolation");
                    assertThat(Diagnoses.of(e, client)).contains("safety system");
                });
    }

    @Test
    void throttlingIsTransientAndCarriesTheRetryHint() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3")
                .body("{\"error\":{\"code\":\"429\",\"message\":\"Too many running tasks\"}}").build());
        server.enqueue(new MockResponse.Builder().code(503).addHeader("retry-after-ms", "1500").body("upstream down").build());

        assertThatThrownBy(() -> client.create(new CreateVideoRequest("p", 480, 480, 5, 1, null)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(e.errorMessage()).isEqualTo("Too many running tasks");
                });
        assertThatThrownBy(() -> client.get("task_1", null))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500));
                    assertThat(Diagnoses.received(e)).contains("HTTP 503").contains("upstream down");
                });
    }

    @Test
    void invalidKeyIsSystemicAndNeverEchoedInTheMessage() {
        server.enqueue(new MockResponse.Builder().code(401).body("{\"error\":{\"code\":\"401\",\"message\":\"Access "
                + "denied due to invalid subscription key or wrong API endpoint.\"}}").build());

        assertThatThrownBy(() -> client.create(new CreateVideoRequest("p", 480, 480, 5, 1, null)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.SYSTEMIC);
                    assertThat(e.getMessage()).doesNotContain(KEY);
                    assertThat(Diagnoses.of(e, client)).contains("AZURE_API_KEY").doesNotContain(KEY);
                });
    }

    @Test
    void downloadStreamsToTheTargetAndATruncatedBodyLeavesNoFile() throws Exception {
        byte[] video = new byte[100_000];
        new java.util.Random(1).nextBytes(video);
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "video/mp4")
                .body(new okio.Buffer().write(video)).build());
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "video/mp4")
                .body(new okio.Buffer().write(video, 0, 50_000)).setHeader("Content-Length", "100000")
                .onResponseEnd(new mockwebserver3.SocketEffect.CloseSocket()).build());

        Path target = dir.resolve("a.mp4");
        long size = client.download("gen_1", ContentKind.VIDEO, target);
        assertThat(size).isEqualTo(100_000);
        assertThat(Files.readAllBytes(target)).isEqualTo(video);
        assertThat(server.takeRequest().getUrl().encodedPath())
                .isEqualTo("/openai/v1/video/generations/gen_1/content/video");

        Path second = dir.resolve("b.mp4");
        assertThatThrownBy(() -> client.download("gen_2", ContentKind.VIDEO, second))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        assertThat(second).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.mp4");
        }
    }

    @Test
    void aLoginPageAnsweredInPlaceOfTheVideoIsNeverSavedAsTheVideo() throws Exception {
        String login = "<!DOCTYPE html><html><body><form action=/login>Sign in</form></body></html>";
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html; charset=utf-8")
                .body(login).build());
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/octet-stream")
                .body("\n  <html><body>gateway error</body></html>").build());
        byte[] binary = new byte[4096];
        new java.util.Random(7).nextBytes(binary);
        binary[0] = '<'; // a binary body may open with any byte: only a real page is refused
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "video/mp4")
                .body(new okio.Buffer().write(binary)).build());

        for (String name : new String[] { "login.mp4", "gateway.mp4" }) {
            Path target = dir.resolve(name);
            assertThatThrownBy(() -> client.download("gen_1", ContentKind.VIDEO, target))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo("not_media");
                        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                        assertThat(e.getMessage()).contains("instead of the file");
                    });
            assertThat(target).doesNotExist();
        }
        Path video = dir.resolve("video.mp4");
        assertThat(client.download("gen_1", ContentKind.VIDEO, video)).isEqualTo(4096);
        assertThat(Files.readAllBytes(video)).isEqualTo(binary);
    }
}
