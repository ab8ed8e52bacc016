package dev.sorabatch.http;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.provider.azure.AzureEndpoint;
import dev.sorabatch.provider.azure.AzureSoraClient;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Provider;
import dev.sorabatch.service.RequestRateLimiter;
import dev.sorabatch.service.ServiceException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import tools.jackson.databind.json.JsonMapper;

/** Every call has an overall deadline: a server that drips bytes cannot hold a call past it. */
class CallDeadlineTest {

    private static final byte[] JPEG = new byte[200];

    static {
        JPEG[0] = (byte) 0xFF;
        JPEG[1] = (byte) 0xD8;
        JPEG[2] = (byte) 0xFF;
    }

    // each byte arrives well inside the read time-out, which therefore never fires
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build();
    private MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MockResponse dripping(byte[] body) {
        return new MockResponse.Builder().code(200).body(new okio.Buffer().write(body))
                .throttleBody(1, 200, TimeUnit.MILLISECONDS).build();
    }

    @Test
    void aDrippingImageFailsItsRowAtTheDeadlineSayingWhatTheHostSent() {
        server.enqueue(dripping(JPEG));
        ImageFetcher images = new ImageFetcher(http, 1_000_000, Duration.ofSeconds(1));
        long started = System.nanoTime();

        assertThatThrownBy(() -> images.fetch(server.url("/slow.jpg").toString()))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ROW);
                    assertThat(e.errorCode()).isEqualTo(NetworkFaults.DEADLINE);
                    assertThat(Diagnoses.of(e, azure())).contains(server.getHostName())
                            .containsPattern("sent \\d+ bytes in 1 s").contains("sora.http.image-deadline");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aStopAbandonsAnImageFetchAtOnce() {
        server.enqueue(dripping(JPEG));
        ImageFetcher images = new ImageFetcher(http, 1_000_000, Duration.ofSeconds(60));
        long started = System.nanoTime();

        assertThatThrownBy(() -> images.fetch(server.url("/slow.jpg").toString(),
                () -> System.nanoTime() - started > 300_000_000L))
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ImageFetcher.STOPPED));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aCreateCutAtItsDeadlineCountsAsALostAnswerSoTheJobIsLookedForBeforeAnyResend() {
        server.enqueue(dripping("{\"id\":\"task_1\",\"status\":\"queued\"}".getBytes()));
        AzureSoraClient client = new AzureSoraClient(AzureEndpoint.parse(server.url("/").toString()),
                new ApiKey("k-123456"), "sora", http, JsonMapper.builder().build(), RequestRateLimiter.unlimited(),
                new HttpDeadlines(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1));

        assertThatThrownBy(() -> client.create(new CreateVideoRequest("p", 480, 480, 5, 1, null)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(e.errorCode()).isEqualTo(NetworkFaults.DEADLINE);
                    assertThat(NetworkFaults.mayHaveBeenReceived(e)).isTrue();
                    assertThat(Diagnoses.of(e, client)).contains("sora.http.call-deadline");
                });
    }

    @Test
    void aDownloadDeadlineGrowsWithTheAnnouncedSize() {
        HttpDeadlines deadlines = new HttpDeadlines(Duration.ofMinutes(2), Duration.ofSeconds(60),
                Duration.ofMinutes(5), 1_000_000);

        assertThat(deadlines.download(-1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(deadlines.download(600_000_000)).isEqualTo(Duration.ofMinutes(15));
    }

    private AzureSoraClient azure() {
        return new AzureSoraClient(AzureEndpoint.parse(server.url("/").toString()), new ApiKey("k-123456"), "sora",
                http, JsonMapper.builder().build());
    }
}
