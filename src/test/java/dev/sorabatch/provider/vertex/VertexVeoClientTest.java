package dev.sorabatch.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.UserCredentials;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.http.HttpDeadlines;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ModelInputs;
import dev.sorabatch.service.ReferenceImage;
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
 * The Vertex Veo client against a server playing the regional API ({@code /v1}) and another playing Cloud Storage's
 * JSON API; tokens come from injected Google credentials (a fixed one, or a refreshable one whose token server is a
 * third local server).
 */
class VertexVeoClientTest {

    static final String TOKEN = "ya29.test-token-123";
    static final String MODEL = "veo-3.1-fast-generate-001";
    static final String OP = "projects/my-proj/locations/us-central1/publishers/google/models/" + MODEL
            + "/operations/a1b07c8e-7b5a-4aba-bb34-3e1ccb8afcc8";

    final ObjectMapper json = JsonMapper.builder().build();
    MockWebServer api;
    MockWebServer gcs;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        api = new MockWebServer();
        api.start();
        gcs = new MockWebServer();
        gcs.start();
    }

    @AfterEach
    void stop() {
        api.close();
        gcs.close();
    }

    static GoogleCredentials token(String value, String quotaProject) {
        return GoogleCredentials.newBuilder().setAccessToken(new AccessToken(value,
                new Date(System.currentTimeMillis() + 3_600_000))).setQuotaProjectId(quotaProject).build();
    }

    VertexVeoClient client(GoogleCredentials credentials, String storageUri) {
        return new VertexVeoClient(api.url("/v1"), gcs.url("/"), "my-proj", "us-central1", storageUri, credentials,
                MODEL, new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build(), json,
                RequestRateLimiter.unlimited(), HttpDeadlines.DEFAULT);
    }

    VertexVeoClient client() {
        return client(token(TOKEN, null), null);
    }

    static MockResponse answer(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    static CreateVideoRequest request(String prompt, int seconds, int variants, ReferenceImage image,
            ModelInputs inputs) {
        return new CreateVideoRequest(prompt, 0, 0, seconds, variants, image, null, null, inputs);
    }

    @Test
    void createPostsPredictLongRunningWithTheRowAsInstancesAndParameters() throws Exception {
        api.enqueue(answer(200, "{\"name\":\"" + OP + "\"}"));
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3 };
        ModelInputs inputs = new ModelInputs("9:16", "1080p", "blurry", 42L,
                Map.of("generate_audio", "false", "enhancePrompt", "true"), false);

        VideoJob job = client(token(TOKEN, "quota-proj"), null).create(request("A fox", 6, 2,
                new ReferenceImage("fox.png", "image/png", png), inputs));

        assertThat(job.id()).isEqualTo(OP);
        assertThat(job.isTerminal()).isFalse();
        RecordedRequest create = api.takeRequest();
        assertThat(create.getMethod()).isEqualTo("POST");
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1/projects/my-proj/locations/us-central1/publishers"
                + "/google/models/" + MODEL + ":predictLongRunning");
        assertThat(create.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(create.getHeaders().get("x-goog-user-project")).isEqualTo("quota-proj");
        JsonNode body = json.readTree(create.getBody().utf8());
        JsonNode instance = body.get("instances").get(0);
        assertThat(instance.get("prompt").asString()).isEqualTo("A fox");
        assertThat(Base64.getDecoder().decode(instance.get("image").get("bytesBase64Encoded").asString()))
                .isEqualTo(png);
        assertThat(instance.get("image").get("mimeType").asString()).isEqualTo("image/png");
        JsonNode p = body.get("parameters");
        assertThat(p.get("durationSeconds").asInt()).isEqualTo(6);
        assertThat(p.get("aspectRatio").asString()).isEqualTo("9:16");
        assertThat(p.get("resolution").asString()).isEqualTo("1080p");
        assertThat(p.get("sampleCount").asInt()).isEqualTo(2);
        assertThat(p.get("negativePrompt").asString()).isEqualTo("blurry");
        assertThat(p.get("seed").asLong()).isEqualTo(42);
        assertThat(p.get("generateAudio").isBoolean()).as("param.generate_audio typed, in camelCase").isTrue();
        assertThat(p.get("generateAudio").asBoolean()).isFalse();
        assertThat(p.get("enhancePrompt").asBoolean()).isTrue();
        assertThat(p.get("personGeneration").asString()).isEqualTo("allow_adult");
        assertThat(p.has("storageUri")).isFalse();
    }

    @Test
    void pollsFetchPredictOperationUntilDoneAndWritesTheInlineVideoAtomically() throws Exception {
        byte[] mp4 = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(mp4);
        String b64 = Base64.getEncoder().encodeToString(mp4);
        String done = "{\"name\":\"" + OP + "\",\"done\":true,\"response\":{\"@type\":\"type.googleapis.com/cloud.ai."
                + "large_models.vision.GenerateVideoResponse\",\"raiMediaFilteredCount\":0,\"videos\":[{"
                + "\"bytesBase64Encoded\":\"" + b64 + "\",\"mimeType\":\"video/mp4\"}]}}";
        api.enqueue(answer(200, "{\"name\":\"" + OP + "\"}"));
        api.enqueue(answer(200, "{\"name\":\"" + OP + "\",\"done\":false,\"metadata\":{\"createTime\":\"x\"}}"));
        api.enqueue(answer(200, done));
        api.enqueue(answer(200, done));
        VertexVeoClient client = client();

        assertThat(client.get(OP, null).isTerminal()).as("no done: not done").isFalse();
        assertThat(client.get(OP, null).isTerminal()).isFalse();
        VideoJob job = client.get(OP, null);
        assertThat(job.succeeded()).isTrue();
        assertThat(job.generationIds()).containsExactly(OP + "#0");
        RecordedRequest poll = api.takeRequest();
        assertThat(poll.getMethod()).as("never a GET on the operation name").isEqualTo("POST");
        assertThat(poll.getUrl().encodedPath()).isEqualTo("/v1/projects/my-proj/locations/us-central1/publishers"
                + "/google/models/" + MODEL + ":fetchPredictOperation");
        assertThat(json.readTree(poll.getBody().utf8()).get("operationName").asString()).isEqualTo(OP);
        assertThat(poll.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);

        Path target = dir.resolve("fox.mp4");
        long written = client.download(job.generationIds().get(0), ContentKind.VIDEO, target);
        assertThat(written).isEqualTo(mp4.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(mp4);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no partial file left").containsExactly(target);
        }
    }

    @Test
    void withAStorageUriTheVideoComesFromCloudStorageWithTheSameToken() throws Exception {
        api.enqueue(answer(200, "{\"name\":\"" + OP + "\"}"));
        api.enqueue(answer(200, "{\"name\":\"" + OP + "\",\"done\":true,\"response\":{\"videos\":[{\"gcsUri\":"
                + "\"gs://my-bucket/veo/123/sample_0.mp4\",\"mimeType\":\"video/mp4\"}]}}"));
        gcs.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "video/mp4")
                .body(new okio.Buffer().write(new byte[] { 0, 0, 0, 24, 'f', 't', 'y', 'p' })).build());
        VertexVeoClient client = client(token(TOKEN, null), "gs://my-bucket/veo/");

        client.create(request("A fox", 8, 1, null, ModelInputs.NONE));
        assertThat(json.readTree(api.takeRequest().getBody().utf8()).get("parameters").get("storageUri").asString())
                .isEqualTo("gs://my-bucket/veo/");
        VideoJob job = client.get(OP, null);
        assertThat(job.generationIds()).containsExactly("gs://my-bucket/veo/123/sample_0.mp4");
        long n = client.download(job.generationIds().get(0), ContentKind.VIDEO, dir.resolve("v.mp4"));

        assertThat(n).isEqualTo(8);
        RecordedRequest object = gcs.takeRequest();
        assertThat(object.getUrl().encodedPath()).isEqualTo("/storage/v1/b/my-bucket/o/veo%2F123%2Fsample_0.mp4");
        assertThat(object.getUrl().queryParameter("alt")).isEqualTo("media");
        assertThat(object.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void anExpiredTokenIsRefreshedByGooglesLibrary() throws Exception {
        try (MockWebServer tokens = new MockWebServer()) {
            tokens.start();
            tokens.enqueue(answer(200, "{\"access_token\":\"ya29.first\",\"expires_in\":60,\"token_type\":\"Bearer\"}"));
            tokens.enqueue(answer(200, "{\"access_token\":\"ya29.second\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"));
            GoogleCredentials refreshable = UserCredentials.newBuilder().setClientId("client").setClientSecret("s")
                    .setRefreshToken("refresh-1").setTokenServerUri(tokens.url("/token").uri())
                    .setQuotaProjectId("billing-proj").build();
            api.enqueue(answer(200, "{\"name\":\"" + OP + "\"}"));
            api.enqueue(answer(200, "{\"name\":\"" + OP + "\"}"));
            VertexVeoClient client = client(refreshable, null);

            client.create(request("one", 8, 1, null, ModelInputs.NONE));
            client.get(OP, null); // the first token expires within the library's margin: it refreshes it

            assertThat(api.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer ya29.first");
            RecordedRequest poll = api.takeRequest();
            assertThat(poll.getHeaders().get("Authorization")).isEqualTo("Bearer ya29.second");
            assertThat(poll.getHeaders().get("x-goog-user-project")).isEqualTo("billing-proj");
            assertThat(tokens.takeRequest().getBody().utf8()).contains("refresh_token=refresh-1");
        }
    }

    @Test
    void aSafetyFilteredOperationFailsTheRowQuotingItsReasons() {
        api.enqueue(answer(200, "{\"name\":\"" + OP + "\",\"done\":true,\"response\":{\"raiMediaFilteredCount\":1,"
                + "\"raiMediaFilteredReasons\":[\"The prompt could not be submitted. support code: 15236754\"]}}"));
        VertexVeoClient client = client();

        VideoJob job = client.get(OP, null);

        assertThat(job.isTerminal()).isTrue();
        assertThat(job.succeeded()).isFalse();
        assertThat(Diagnoses.ofFailedJob(job, client)).contains("safety filters").contains("support code: 15236754")
                .contains("not retried");
    }

    @Test
    void aDoneOperationWithAnErrorFailsWithItsGrpcCode() {
        api.enqueue(answer(200, "{\"name\":\"" + OP + "\",\"done\":true,\"error\":{\"code\":3,\"message\":"
                + "\"Person generation needs project approval.\"}}"));
        VertexVeoClient client = client();

        VideoJob job = client.get(OP, null);

        assertThat(job.isTerminal()).isTrue();
        assertThat(job.failureReason()).isEqualTo("error 3: Person generation needs project approval.");
        assertThat(Diagnoses.ofFailedJob(job, client)).contains("error 3").contains("code 3: an argument");
    }

    @Test
    void quotaWaitsTheRetryDelayGoogleAsksFor() {
        api.enqueue(answer(429, error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for aiplatform.googleapis.com/"
                + "online_prediction_requests_per_base_model", "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
                + "\"retryDelay\":\"41s\"}")));

        assertThatThrownBy(() -> client().create(request("x", 8, 1, null, ModelInputs.NONE)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(41));
                    assertThat(e.errorCode()).isEqualTo("RESOURCE_EXHAUSTED");
                });
    }

    @Test
    void anInvalidArgumentNamesTheFieldAndItsColumn() {
        api.enqueue(answer(400, error(400, "INVALID_ARGUMENT", "Unsupported durationSeconds: 5. Supported: 4, 6, 8.",
                null)));
        VertexVeoClient client = client();

        assertThatThrownBy(() -> client.create(request("x", 5, 1, null, ModelInputs.NONE)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ROW);
                    assertThat(e.innerCode()).isEqualTo("durationSeconds");
                    assertThat(Diagnoses.of(e, client)).contains("durationSeconds").contains("column seconds");
                });
    }

    @Test
    void permissionDeniedSaysWhetherTheApiOrTheRoleIsMissing() {
        api.enqueue(answer(403, error(403, "PERMISSION_DENIED", "Vertex AI API has not been used in project my-proj "
                + "before or it is disabled.", "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":"
                + "\"SERVICE_DISABLED\"}")));
        api.enqueue(answer(403, error(403, "PERMISSION_DENIED", "Permission 'aiplatform.endpoints.predict' denied on "
                + "resource '//aiplatform.googleapis.com/projects/my-proj/locations/us-central1/publishers/google/"
                + "models/veo' (or it may not exist).", "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
                + "\"reason\":\"IAM_PERMISSION_DENIED\"}")));
        VertexVeoClient client = client();

        ServiceException api = create(client);
        ServiceException role = create(client);

        assertThat(api.kind()).isEqualTo(ErrorKind.SYSTEMIC);
        assertThat(Diagnoses.of(api, client)).contains("not enabled").contains("gcloud services enable");
        assertThat(role.kind()).isEqualTo(ErrorKind.SYSTEMIC);
        assertThat(Diagnoses.of(role, client)).contains("roles/aiplatform.user");
    }

    @Test
    void aRetiredModelStopsTheRunNamingItsReplacement() {
        api.enqueue(answer(404, error(404, "NOT_FOUND", "Publisher Model `veo-3.0-generate-001` is no longer "
                + "available. Please use veo-3.1-generate-001 instead.", null)));
        api.enqueue(answer(404, error(404, "NOT_FOUND", "Publisher Model `projects/my-proj/locations/us-central1/"
                + "publishers/google/models/veo-9` was not found.", null)));
        VertexVeoClient client = client();

        ServiceException retired = create(client);
        ServiceException unknown = create(client);

        assertThat(retired.kind()).isEqualTo(ErrorKind.SYSTEMIC);
        assertThat(Diagnoses.of(retired, client)).contains("no longer available")
                .contains("veo-3.1-generate-001 as its replacement");
        assertThat(Diagnoses.of(unknown, client)).contains("was not found").contains("sora.model");
    }

    @Test
    void aRejectedTokenStopsTheRunAndIsNeverQuoted() {
        api.enqueue(answer(401, error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. "
                + "Expected OAuth 2 access token; got Bearer " + TOKEN, null)));
        VertexVeoClient client = client();

        ServiceException e = create(client);

        assertThat(e.kind()).isEqualTo(ErrorKind.SYSTEMIC);
        assertThat(Diagnoses.of(e, client)).contains("application-default login");
        assertThat(e.getMessage() + e.bodyExcerpt() + e.errorMessage()).doesNotContain(TOKEN);
    }

    @Test
    void nothingListsAndTheTraitsSaySo() {
        VertexVeoClient client = client();
        assertThat(client.traits().listsJobs()).isFalse();
        assertThat(client.traits().thumbnails()).isFalse();
        assertThatThrownBy(() -> client.list(10)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(api.getRequestCount()).isZero();
    }

    private ServiceException create(VertexVeoClient client) {
        try {
            client.create(request("x", 8, 1, null, ModelInputs.NONE));
        } catch (ServiceException e) {
            return e;
        }
        throw new AssertionError("the create succeeded");
    }

    static String error(int code, String status, String message, String detail) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message.replace("\"", "\\\"") + "\",\"status\":\""
                + status + "\"" + (detail == null ? "" : ",\"details\":[" + detail + "]") + "}}";
    }
}
