package dev.sorabatch.http;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.provider.azure.AzureEndpoint;
import dev.sorabatch.provider.azure.AzureSoraClient;
import dev.sorabatch.provider.openai.OpenAiVideosClient;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ReferenceImage;
import dev.sorabatch.service.RequestRateLimiter;
import dev.sorabatch.service.ServiceException;
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
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import tools.jackson.databind.json.JsonMapper;

/** The key goes to the configured service's origin only, whatever redirects say; a redirect loop is named at once. */
class CredentialScopeTest {

    private static final String KEY = "scope-secret-key-123456";
    private static final String JOB = "{\"id\":\"task_1\",\"status\":\"queued\",\"created_at\":1748469875,"
            + "\"generations\":[],\"prompt\":\"p\",\"n_variants\":1,\"n_seconds\":5,\"height\":480,\"width\":480}";
    private static final String VIDEO = "{\"id\":\"video_1\",\"object\":\"video\",\"status\":\"queued\"}";

    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build();
    private MockWebServer service;
    private MockWebServer elsewhere;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        service = new MockWebServer();
        service.start();
        elsewhere = new MockWebServer();
        elsewhere.start();
    }

    @AfterEach
    void stop() {
        service.close();
        elsewhere.close();
    }

    private AzureSoraClient azure() {
        return new AzureSoraClient(AzureEndpoint.parse(service.url("/").toString()), new ApiKey(KEY), "sora", http,
                JsonMapper.builder().build());
    }

    private OpenAiVideosClient videos(OpenAiVideosClient.Auth auth) {
        return new OpenAiVideosClient(service.url("/v1"), new ApiKey(KEY), auth, "sora-2", http,
                JsonMapper.builder().build(), RequestRateLimiter.unlimited());
    }

    private static MockResponse redirectTo(HttpUrl url) {
        return new MockResponse.Builder().code(302).addHeader("Location", url.toString()).build();
    }

    private static void assertNoCredential(RecordedRequest request) {
        assertThat(request.getHeaders().get("api-key")).isNull();
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertThat(request.getHeaders().toString()).doesNotContain(KEY);
    }

    @Test
    void aDownloadRedirectedToAnotherHostArrivesThereWithNoKey() throws Exception {
        service.enqueue(redirectTo(elsewhere.url("/cdn/video.mp4?sig=abc")));
        elsewhere.enqueue(new MockResponse.Builder().code(200).body("mp4 bytes").build());

        long length = azure().download("gen_1", ContentKind.VIDEO, dir.resolve("v.mp4"));

        assertThat(service.takeRequest().getHeaders().get("api-key")).isEqualTo(KEY);
        assertNoCredential(elsewhere.takeRequest());
        assertThat(length).isEqualTo(9);
        assertThat(Files.readString(dir.resolve("v.mp4"))).isEqualTo("mp4 bytes");
    }

    @Test
    void aRedirectBackToTheServiceHostKeepsTheKey() throws Exception {
        service.enqueue(redirectTo(service.url("/moved/video.mp4")));
        service.enqueue(new MockResponse.Builder().code(200).body("mp4").build());

        azure().download("gen_1", ContentKind.VIDEO, dir.resolve("v.mp4"));

        service.takeRequest();
        RecordedRequest second = service.takeRequest();
        assertThat(second.getUrl().encodedPath()).isEqualTo("/moved/video.mp4");
        assertThat(second.getHeaders().get("api-key")).isEqualTo(KEY);
    }

    @Test
    void aChainThroughAnotherHostAndBackCarriesTheKeyOnlyOnTheServiceHops() throws Exception {
        service.enqueue(redirectTo(elsewhere.url("/hop")));
        elsewhere.enqueue(redirectTo(service.url("/back")));
        service.enqueue(new MockResponse.Builder().code(200).body(VIDEO).build());

        videos(OpenAiVideosClient.Auth.BEARER).get("video_1", null);

        assertThat(service.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertNoCredential(elsewhere.takeRequest());
        assertThat(service.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void pollsAndCreatesRedirectedToAnotherHostCarryNoKeyInEitherScheme() throws Exception {
        service.enqueue(redirectTo(elsewhere.url("/poll")));
        elsewhere.enqueue(new MockResponse.Builder().code(200).body(JOB).build());
        service.enqueue(new MockResponse.Builder().code(307).addHeader("Location", elsewhere.url("/create")).build());
        elsewhere.enqueue(new MockResponse.Builder().code(200).body(JOB).build());
        service.enqueue(new MockResponse.Builder().code(308).addHeader("Location", elsewhere.url("/v")).build());
        elsewhere.enqueue(new MockResponse.Builder().code(200).body(VIDEO).build());

        azure().get("task_1", null);
        azure().create(new CreateVideoRequest("p", 480, 480, 5, 1, null));
        videos(OpenAiVideosClient.Auth.API_KEY).create(new CreateVideoRequest("p", 720, 1280, 4, 1, null));

        assertNoCredential(elsewhere.takeRequest());
        RecordedRequest create = elsewhere.takeRequest();
        assertThat(create.getMethod()).isEqualTo("POST");
        assertThat(create.getBody().utf8()).contains("\"prompt\":\"p\"");
        assertNoCredential(create);
        assertNoCredential(elsewhere.takeRequest());
    }

    @Test
    void theImageFetcherSendsNoCredentialEvenWhenRedirected() throws Exception {
        elsewhere.enqueue(redirectTo(service.url("/img.png")));
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0 };
        service.enqueue(new MockResponse.Builder().code(200).body(new okio.Buffer().write(png)).build());

        ReferenceImage image = new ImageFetcher(http, 1000).fetch(elsewhere.url("/start").toString());

        assertThat(image.mediaType()).isEqualTo("image/png");
        assertNoCredential(elsewhere.takeRequest());
        assertNoCredential(service.takeRequest());
    }

    @Test
    void aDownloadThatRedirectsInALoopFailsItsRowAtOnceNamingTheHost() {
        service.enqueue(redirectTo(elsewhere.url("/a")));
        elsewhere.enqueue(redirectTo(elsewhere.url("/b")));
        elsewhere.enqueue(redirectTo(elsewhere.url("/a")));
        AzureSoraClient client = azure();

        assertThatThrownBy(() -> client.download("gen_1", ContentKind.VIDEO, dir.resolve("v.mp4")))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ROW);
                    assertThat(e.errorCode()).isEqualTo(NetworkFaults.REDIRECT_LOOP);
                    assertThat(Diagnoses.ofDownloadFailure("task_1", e)).contains("redirects in a loop")
                            .contains(elsewhere.getHostName()).doesNotContain("Too many follow-up");
                });
        assertThat(service.getRequestCount() + elsewhere.getRequestCount()).isEqualTo(3);
    }

    @Test
    void theApiItselfRedirectingInALoopStopsTheRun() {
        service.enqueue(redirectTo(service.url("/openai/v1/video/generations/jobs/task_1?api-version=preview")));
        AzureSoraClient client = azure();

        assertThatThrownBy(() -> client.get("task_1", null)).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.SYSTEMIC);
            assertThat(Diagnoses.of(e, client)).contains("redirects in a loop").contains(service.getHostName());
        });
    }

    @Test
    void aCredentialQuotedInAnExceptionIsScrubbed() {
        CredentialScope scope = CredentialScope.of(service.url("/"), "Authorization", "Bearer " + KEY);
        ServiceException e = new ServiceException(ErrorKind.ROW, "poll video job", 400, null,
                "you sent " + KEY, null, null, "{\"echo\":\"Bearer " + KEY + "\"}", null,
                new IllegalArgumentException("Unexpected char in Authorization value: Bearer " + KEY));

        ServiceException shown = scope.scrub(e);

        assertThat(shown.getMessage()).doesNotContain(KEY).contains("****");
        assertThat(shown.bodyExcerpt()).doesNotContain(KEY);
        assertThat(shown.getCause()).isNull();
    }
}
