package dev.sorabatch.provider.gemini;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.http.ApiKey;
import dev.sorabatch.http.HttpDeadlines;
import dev.sorabatch.service.RequestRateLimiter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client test's two hosts: one server playing {@code generativelanguage.googleapis.com/v1beta}, another the storage
 * host the API's file downloads redirect to; and the client, pointed at the first.
 */
abstract class GeminiApiTest {

    static final String KEY = "AIzaSyTest-key-000000000000000000000";
    static final String MODEL = "veo-3.1-fast-generate-preview";
    static final String OP = "models/" + MODEL + "/operations/vz341u0pmdlc";

    final MockWebServer api = new MockWebServer();
    final MockWebServer storage = new MockWebServer();

    @TempDir
    Path dir;

    @BeforeEach
    void listen() throws IOException {
        for (MockWebServer server : hosts()) {
            server.start();
        }
    }

    @AfterEach
    void hangUp() {
        hosts().forEach(MockWebServer::close);
    }

    private List<MockWebServer> hosts() {
        return List.of(api, storage);
    }

    /** @param keyVariable where the key came from, as the diagnoses name it */
    GeminiVeoClient client(String keyVariable) {
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build();
        return new GeminiVeoClient(api.url("/v1beta"), new ApiKey(KEY), keyVariable, MODEL, http,
                JsonMapper.builder().build(), RequestRateLimiter.unlimited(), HttpDeadlines.DEFAULT);
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=UTF-8")
                .body(body).build();
    }

    /** A done operation whose {@code generateVideoResponse} is {@code response}. */
    static String done(String response) {
        return "{\"name\":\"" + OP + "\",\"done\":true,\"response\":{\"@type\":\"type.googleapis.com/google.ai."
                + "generativelanguage.v1beta.PredictLongRunningResponse\",\"generateVideoResponse\":" + response + "}}";
    }
}
