package dev.sorabatch.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.auth.oauth2.ServiceAccountCredentials;

import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.Wire;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.databind.JsonNode;

/**
 * The simulated Google Cloud on the wire: the token endpoint checks the JWT assertion's signature and claims, and
 * both the Vertex API and Cloud Storage honour only the tokens it granted, refusing others as Google does.
 */
class VertexSimulatorTest {

    static final String MODEL_PATH = "/v1/projects/my-proj/locations/us-central1/publishers/google/models/"
            + "veo-3.1-fast-generate-001";

    final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    SimulatorSettings settings;
    VertexSimulator vertex;

    @BeforeEach
    void start() {
        settings = new SimulatorSettings();
        settings.setJobDuration(Duration.ofMillis(300));
        vertex = new VertexSimulator(settings, "my-proj").start();
    }

    @AfterEach
    void stop() {
        vertex.close();
    }

    /** A token as Google's library gets one: its service-account flow against the simulated endpoint. */
    String token() throws IOException {
        try (var in = java.nio.file.Files.newInputStream(vertex.credentialsFile())) {
            return ServiceAccountCredentials.fromStream(in).createScoped(List.of(VertexAuth.SCOPE))
                    .refreshAccessToken().getTokenValue();
        }
    }

    Response post(String path, String token, String json) throws IOException {
        Request.Builder request = new Request.Builder().url(vertex.baseUrl() + path)
                .post(RequestBody.create(json, MediaType.get("application/json")));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.newCall(request.build()).execute();
    }

    static JsonNode body(Response response) throws IOException {
        try (response) {
            return Wire.parseOrNull(response.body().string());
        }
    }

    @Test
    void theKeyFileIsAServiceAccountKeyWhoseTokenUriIsTheSimulator() throws Exception {
        JsonNode key = Wire.JSON.readTree(java.nio.file.Files.readString(vertex.credentialsFile()));

        assertThat(key.get("type").asString()).isEqualTo("service_account");
        assertThat(key.get("client_email").asString()).isEqualTo(vertex.serviceAccountEmail());
        assertThat(key.get("token_uri").asString()).startsWith("http://127.0.0.1:").endsWith("/token");
        assertThat(key.get("private_key").asString()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(token()).startsWith("ya29.");
        assertThat(vertex.requestCount("token")).isEqualTo(1);
    }

    @Test
    void anAssertionSignedWithAnotherKeyIsRefusedAsInvalidGrant() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        long now = System.currentTimeMillis() / 1000;
        String head = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = b64("{\"iss\":\"" + vertex.serviceAccountEmail() + "\",\"aud\":\"https://oauth2.googleapis"
                + ".com/token\",\"scope\":\"" + VertexAuth.SCOPE + "\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}");
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(rsa.generateKeyPair().getPrivate());
        signer.update((head + "." + claims).getBytes(StandardCharsets.US_ASCII));
        String jwt = head + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        String tokenUri = Wire.JSON.readTree(java.nio.file.Files.readString(vertex.credentialsFile())).get("token_uri")
                .asString();

        Response refused = http.newCall(new Request.Builder().url(tokenUri).post(new FormBody.Builder()
                .add("grant_type", VertexTokenEndpoint.JWT_BEARER).add("assertion", jwt).build()).build()).execute();
        Response wrongGrant = http.newCall(new Request.Builder().url(tokenUri).post(new FormBody.Builder()
                .add("grant_type", "password").build()).build()).execute();

        assertThat(refused.code()).isEqualTo(400);
        JsonNode error = body(refused);
        assertThat(error.get("error").asString()).isEqualTo("invalid_grant");
        assertThat(error.get("error_description").asString()).isEqualTo("Invalid JWT Signature.");
        assertThat(body(wrongGrant).get("error").asString()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void theApiRefusesAMissingAnUnknownAndAnExpiredTokenWith401() throws Exception {
        String fetch = MODEL_PATH + ":fetchPredictOperation";
        String op = "{\"operationName\":\"projects/my-proj/locations/us-central1/publishers/google/models/"
                + "veo-3.1-fast-generate-001/operations/x\"}";
        String token = token();

        JsonNode missing = body(post(fetch, null, op));
        JsonNode unknown = body(post(fetch, "ya29.made-up", op));
        Response known = post(fetch, token, op);
        vertex.expireTokens();
        Response expired = post(fetch, token, op);

        assertThat(missing.at("/error/code").asInt()).isEqualTo(401);
        assertThat(missing.at("/error/status").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(missing.at("/error/details/0/reason").asString()).isEqualTo("CREDENTIALS_MISSING");
        assertThat(unknown.at("/error/message").asString()).startsWith("Request had invalid authentication credentials.");
        assertThat(known.code()).as("a granted token: the operation is looked for").isEqualTo(404);
        known.close();
        assertThat(expired.code()).isEqualTo(401);
        assertThat(body(expired).at("/error/details/0/reason").asString()).isEqualTo("ACCESS_TOKEN_EXPIRED");
    }

    @Test
    void anOperationLeavesDoneOutWhileItRunsAndIsListedInStorageOnceDone() throws Exception {
        String token = token();
        JsonNode created = body(post(MODEL_PATH + ":predictLongRunning", token, "{\"instances\":[{\"prompt\":\"a kite\""
                + "}],\"parameters\":{\"sampleCount\":2,\"storageUri\":\"gs://b/veo/row-1-abc/\"}}"));
        String name = created.get("name").asString();
        String fetch = "{\"operationName\":\"" + name + "\"}";

        JsonNode running = body(post(MODEL_PATH + ":fetchPredictOperation", token, fetch));
        Thread.sleep(400);
        JsonNode done = body(post(MODEL_PATH + ":fetchPredictOperation", token, fetch));
        Request list = new Request.Builder().url(vertex.storageUrl() + "/storage/v1/b/b/o?prefix=veo/row-1-abc/"
                + "&maxResults=1").header("Authorization", "Bearer " + token).build();
        JsonNode page = body(http.newCall(list).execute());
        Response anonymous = http.newCall(new Request.Builder().url(vertex.storageUrl() + "/storage/v1/b/b/o").build())
                .execute();

        assertThat(name).matches("projects/my-proj/locations/us-central1/publishers/google/models/"
                + "veo-3.1-fast-generate-001/operations/[0-9a-f-]{36}");
        assertThat(running.has("done")).as("a missing done means not done").isFalse();
        assertThat(done.get("done").asBoolean()).isTrue();
        assertThat(done.at("/response/videos/1/gcsUri").asString()).matches("gs://b/veo/row-1-abc/\\d+/sample_1\\.mp4");
        assertThat(page.at("/items/0/name").asString()).matches("veo/row-1-abc/\\d+/sample_0\\.mp4");
        assertThat(page.get("nextPageToken").asString()).isEqualTo("1");
        assertThat(anonymous.code()).isEqualTo(401);
        anonymous.close();
    }

    @Test
    void aRetiredModelAndAnInvalidParameterAreRefusedInGooglesWords() throws Exception {
        String token = token();

        JsonNode retired = body(post("/v1/projects/my-proj/locations/us-central1/publishers/google/models/"
                + "veo-3.0-generate-001:predictLongRunning", token, "{\"instances\":[{\"prompt\":\"x\"}]}"));
        JsonNode invalid = body(post(MODEL_PATH + ":predictLongRunning", token, "{\"instances\":[{\"prompt\":\"x\"}],"
                + "\"parameters\":{\"durationSeconds\":5}}"));

        assertThat(retired.at("/error/code").asInt()).isEqualTo(404);
        assertThat(retired.at("/error/message").asString()).contains("is no longer available")
                .contains("veo-3.1-generate-001");
        assertThat(invalid.at("/error/status").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(invalid.at("/error/details/0/fieldViolations/0/field").asString())
                .isEqualTo("parameters.durationSeconds");
        assertThat(vertex.createdPrompts()).isEmpty();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
