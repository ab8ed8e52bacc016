package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A Videos-protocol server that is not OpenAI: the kind of gateway that fronts other models. It answers 201 to a
 * create, leaves out fields the spec requires, sends {@code seconds} as a number and {@code progress} as a
 * fraction, uses its own status words ({@code pending}, {@code processing}, {@code succeeded}), redirects
 * downloads to a CDN path with no length, and has no thumbnails. The job must still deliver every video.
 */
class QuirkyVideosServerTests {

    @TempDir
    Path dir;

    private MockWebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aGatewayThatBendsTheSpecStillDeliversEveryVideo() throws Exception {
        Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
        AtomicInteger created = new AtomicInteger();
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (request.getMethod().equals("POST") && path.equals("/v1/videos")) {
                    String id = "vid-" + created.incrementAndGet();
                    return json(201, "{\"id\":\"" + id + "\",\"status\":\"pending\",\"seconds\":8,"
                            + "\"size\":\"1280x720\",\"created_at\":" + System.currentTimeMillis() / 1000
                            + ",\"backend\":{\"provider\":\"veo\",\"region\":\"eu\"}}");
                }
                if (request.getMethod().equals("GET") && path.matches("/v1/videos/vid-\\d+")) {
                    String id = path.substring("/v1/videos/".length());
                    int n = polls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    return n < 2 ? json(200, "{\"id\":\"" + id + "\",\"status\":\"processing\",\"progress\":0.5}")
                            : json(200, "{\"id\":\"" + id + "\",\"status\":\"succeeded\",\"progress\":1.0}");
                }
                if (path.matches("/v1/videos/vid-\\d+/content")) {
                    if ("thumbnail".equals(request.getUrl().queryParameter("variant"))) {
                        return json(404, "{\"error\":{\"message\":\"thumbnails are not supported for this model\"}}");
                    }
                    String id = path.split("/")[3];
                    return new MockResponse.Builder().code(302).addHeader("Location", "/cdn/" + id + ".mp4").build();
                }
                if (path.startsWith("/cdn/")) {
                    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/octet-stream")
                            .chunkedBody("not really an mp4, but bytes all the same", 7).build();
                }
                return json(404, "{\"error\":{\"message\":\"no route " + path + "\"}}");
            }
        });
        server.start();
        BatchRun run = new BatchRun(dir).csv("id,prompt,seconds,size\na,First,8,1280x720\nb,Second,8,1280x720\n"
                + "c,Third,8,1280x720\n");

        int exit = run.run("--sora.endpoint=" + server.url("/v1"), "--sora.api-key=gateway-key",
                "--sora.deployment=veo-3");

        assertThat(exit).isZero();
        List<Map<String, String>> report = run.report();
        assertThat(report).hasSize(3).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("SUCCEEDED");
            assertThat(r.get("thumbnail_files")).isEmpty();
            assertThat(Files.readString(Path.of(r.get("video_files"))))
                    .isEqualTo("not really an mp4, but bytes all the same");
        });
        assertThat(created.get()).isEqualTo(3);
    }

    @Test
    void aDownloadThatRedirectsInALoopFailsItsRowInOneRoundNamingTheLoop() throws Exception {
        AtomicInteger contentCalls = new AtomicInteger();
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (request.getMethod().equals("POST") && path.equals("/v1/videos")) {
                    return json(200, "{\"id\":\"vid-1\",\"status\":\"queued\"}");
                }
                if (path.equals("/v1/videos/vid-1")) {
                    return json(200, "{\"id\":\"vid-1\",\"status\":\"completed\"}");
                }
                if (path.equals("/v1/videos/vid-1/content")) {
                    contentCalls.incrementAndGet();
                    return new MockResponse.Builder().code(302).addHeader("Location", "/cdn/a.mp4").build();
                }
                if (path.equals("/cdn/a.mp4")) {
                    return new MockResponse.Builder().code(302).addHeader("Location", "/cdn/a.mp4").build();
                }
                return json(404, "{\"error\":{\"message\":\"no route\"}}");
            }
        });
        server.start();
        BatchRun run = new BatchRun(dir).csv("id,prompt\nloop,A lake\n");

        int exit = run.run("--sora.endpoint=" + server.url("/v1"), "--sora.api-key=gateway-key");

        assertThat(exit).isEqualTo(3);
        Map<String, String> row = run.report().get(0);
        assertThat(row.get("status")).isEqualTo("FAILED");
        assertThat(row.get("diagnosis")).contains("redirects in a loop");
        // one round, not sora.retry.max-download-rounds of them: a loop loops again
        assertThat(contentCalls.get()).isEqualTo(1);
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }
}
