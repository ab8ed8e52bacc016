package dev.sorabatch.provider.gemini;

import java.util.List;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.Simulator;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.Wire;

/**
 * The simulated Gemini API, on two loopback listeners as it is on two hosts: the API ({@link #apiUrl()},
 * {@code generativelanguage.googleapis.com/v1beta}), which asks the key, and the storage host its file downloads
 * redirect to ({@link #storageUrl()}), which takes none and notes whether one ever came.
 */
public class GeminiSimulator extends Simulator {

    private final GeminiApiDialect api;
    /** Set once the storage listener is up; read by the API's redirects. */
    private volatile String storageBase;
    private volatile boolean storageSawKey;
    private final byte[] video = Wire.resource("simulator/sample.mp4");

    public GeminiSimulator(SimulatorSettings settings, String apiKey) {
        super(settings, apiKey);
        api = new GeminiApiDialect(this);
        speak(api);
    }

    @Override
    public GeminiSimulator start() {
        super.start();
        return this;
    }

    @Override
    public GeminiSimulator start(int port) {
        super.start(port);
        LoopbackHttpServer.Handler storage = pipeline(List.of(new GeminiStorageDialect(this)));
        storageBase = listen(request -> {
            if (GeminiApiDialect.keyOf(request) != null) {
                storageSawKey = true;
            }
            return storage.handle(request);
        });
        return this;
    }

    /** The API root with its version, as {@code sora.gemini.base-url} takes it. */
    public String apiUrl() {
        return baseUrl() + "/v1beta";
    }

    /** Where file downloads are redirected: another origin than the API. */
    public String storageUrl() {
        return storageBase;
    }

    /** Whether any request to the storage host carried an API key (header or {@code ?key=}): one must never go there. */
    public boolean storageSawKey() {
        return storageSawKey;
    }

    GeminiApiDialect api() {
        return api;
    }

    byte[] video() {
        return video;
    }
}
