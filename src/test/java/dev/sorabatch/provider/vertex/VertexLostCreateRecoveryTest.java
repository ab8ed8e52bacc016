package dev.sorabatch.provider.vertex;

import static dev.sorabatch.provider.vertex.VertexVeoClientTest.MODEL;
import static dev.sorabatch.provider.vertex.VertexVeoClientTest.OP;
import static dev.sorabatch.provider.vertex.VertexVeoClientTest.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.UserCredentials;

import dev.sorabatch.http.HttpDeadlines;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ModelInputs;
import dev.sorabatch.service.RequestRateLimiter;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Vertex client does where Veo cannot be asked: each row's create names its own storage sub-prefix, a
 * lost create is found by listing it (every page), an adopted folder is polled by listing it; a token Google
 * refuses is renewed once; a row's own model that is not served fails that row only.
 */
class VertexLostCreateRecoveryTest {

    final ObjectMapper json = JsonMapper.builder().build();
    MockWebServer api;
    MockWebServer gcs;

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

    VertexVeoClient client(GoogleCredentials credentials, String storageUri) {
        return new VertexVeoClient(api.url("/v1"), gcs.url("/"), "my-proj", "us-central1", storageUri, credentials,
                MODEL, new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build(), json,
                RequestRateLimiter.unlimited(), HttpDeadlines.DEFAULT);
    }

    static CreateVideoRequest row(int n, String prompt, String model) {
        return new CreateVideoRequest(prompt, 0, 0, 8, 1, null, model, null, ModelInputs.NONE, "row-" + n);
    }

    static String item(String name, String created) {
        return "{\"kind\":\"storage#object\",\"name\":\"" + name + "\",\"bucket\":\"b\",\"timeCreated\":\"" + created
                + "\"}";
    }

    @Test
    void eachRowsCreateNamesItsOwnSubPrefixTheSameEveryTime() throws Exception {
        VertexVeoClient client = client(VertexVeoClientTest.token("t", null), "gs://b/veo/");
        api.enqueue(answer(200, "{\"name\":\"" + OP + "\"}"));
        api.enqueue(answer(200, "{\"name\":\"" + OP + "\"}"));
        api.enqueue(answer(200, "{\"name\":\"" + OP + "\"}"));

        client.create(row(7, "A kite", null));
        client.create(row(7, "A kite", null));
        client.create(row(8, "A kite", null));

        String first = storageUri(api.takeRequest());
        assertThat(first).matches("gs://b/veo/row-7-[0-9a-f]{12}/");
        assertThat(storageUri(api.takeRequest())).isEqualTo(first);
        assertThat(storageUri(api.takeRequest())).startsWith("gs://b/veo/row-8-");
    }

    @Test
    void aLostCreateIsFoundByListingTheRowsPrefixPageByPage() throws Exception {
        VertexVeoClient client = client(VertexVeoClientTest.token("t", null), "gs://b/veo");
        CreateVideoRequest row = row(3, "A kite", null);
        String prefix = new VertexStorage(gcs.url("/"), "gs://b/veo").uriFor(row).substring("gs://b/".length());
        gcs.enqueue(answer(200, "{\"kind\":\"storage#objects\",\"items\":[" + item(prefix + "111/sample_0.mp4",
                "2026-12-01T10:00:00Z") + "," + item(prefix + "111/sample_1.mp4", "2026-12-01T10:00:01Z") + ","
                + item(prefix + "notes.txt", "2026-12-01T10:00:00Z") + "],\"nextPageToken\":\"p2\"}"));
        gcs.enqueue(answer(200, "{\"kind\":\"storage#objects\",\"items\":[" + item(prefix + "222/sample_0.mp4",
                "2026-12-01T11:00:00Z") + "]}"));

        List<VideoJob> found = client.outputsOfLostCreate(row, 0).orElseThrow();

        assertThat(found).extracting(VideoJob::id).containsExactly("gs://b/" + prefix + "111/",
                "gs://b/" + prefix + "222/");
        assertThat(found.get(0).generationIds()).containsExactly("gs://b/" + prefix + "111/sample_0.mp4",
                "gs://b/" + prefix + "111/sample_1.mp4");
        assertThat(found.get(0).succeeded()).isTrue();
        assertThat(found.get(0).createdAt()).isEqualTo(java.time.Instant.parse("2026-12-01T10:00:00Z").getEpochSecond());
        assertThat(found).allMatch(job -> client.isJobFor(row, job, MODEL));
        assertThat(client.isJobFor(row(4, "A kite", null), found.get(0), MODEL)).isFalse();
        RecordedRequest first = gcs.takeRequest();
        assertThat(first.getUrl().encodedPath()).isEqualTo("/storage/v1/b/b/o");
        assertThat(first.getUrl().queryParameter("prefix")).isEqualTo(prefix);
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer t");
        assertThat(gcs.takeRequest().getUrl().queryParameter("pageToken")).isEqualTo("p2");
    }

    @Test
    void anAdoptedFolderIsPolledByListingItAndFailsOnceItsVideosAreGone() {
        VertexVeoClient client = client(VertexVeoClientTest.token("t", null), "gs://b/veo");
        String folder = "gs://b/veo/row-3-abcdefabcdef/111/";
        gcs.enqueue(answer(200, "{\"items\":[" + item("veo/row-3-abcdefabcdef/111/sample_0.mp4",
                "2026-12-01T10:00:00Z") + "]}"));
        gcs.enqueue(answer(200, "{\"kind\":\"storage#objects\"}"));

        VideoJob there = client.get(folder, null);
        VideoJob gone = client.get(folder, null);

        assertThat(there.succeeded()).isTrue();
        assertThat(there.generationIds()).containsExactly(folder + "sample_0.mp4");
        assertThat(gone.isTerminal()).isTrue();
        assertThat(gone.succeeded()).isFalse();
        assertThat(gone.failureReason()).contains(folder);
    }

    @Test
    void withoutAStorageUriNothingCanBeFound() {
        VertexVeoClient client = client(VertexVeoClientTest.token("t", null), null);

        assertThat(client.outputsOfLostCreate(row(1, "x", null), 0)).isEmpty();
        assertThat(gcs.getRequestCount()).isZero();
    }

    @Test
    void aTokenGoogleRefusesIsRenewedOnceAndTheCallMadeAgain() throws Exception {
        try (MockWebServer tokens = new MockWebServer()) {
            tokens.start();
            tokens.enqueue(answer(200, "{\"access_token\":\"ya29.first\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"));
            tokens.enqueue(answer(200, "{\"access_token\":\"ya29.second\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"));
            GoogleCredentials refreshable = UserCredentials.newBuilder().setClientId("c").setClientSecret("s")
                    .setRefreshToken("r").setTokenServerUri(tokens.url("/token").uri()).build();
            api.enqueue(answer(401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication "
                    + "credentials.\",\"status\":\"UNAUTHENTICATED\"}}"));
            api.enqueue(answer(200, "{\"name\":\"" + OP + "\"}"));

            VideoJob job = client(refreshable, null).create(row(1, "x", null));

            assertThat(job.id()).isEqualTo(OP);
            assertThat(api.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer ya29.first");
            assertThat(api.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer ya29.second");
            assertThat(tokens.getRequestCount()).isEqualTo(2);
        }
    }

    @Test
    void aRowsOwnModelThatIsNotServedFailsThatRowButTheConfiguredOneStopsTheRun() {
        String notFound = "{\"error\":{\"code\":404,\"message\":\"Publisher Model `veo-9` was not found.\","
                + "\"status\":\"NOT_FOUND\"}}";
        api.enqueue(answer(404, notFound));
        api.enqueue(answer(404, notFound));
        VertexVeoClient client = client(VertexVeoClientTest.token("t", null), null);

        ServiceException rowModel = catchThrowableOfType(ServiceException.class,
                () -> client.create(row(1, "x", "veo-9")));
        ServiceException configured = catchThrowableOfType(ServiceException.class,
                () -> client.create(row(2, "x", null)));

        assertThat(rowModel.kind()).isEqualTo(ErrorKind.ROW);
        assertThat(configured.kind()).isEqualTo(ErrorKind.SYSTEMIC);
    }

    private String storageUri(RecordedRequest create) {
        return json.readTree(create.getBody().utf8()).get("parameters").get("storageUri").asString();
    }
}
