package dev.sorabatch.provider.fal;

import java.util.List;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.Simulator;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.Wire;

/**
 * The simulated fal.ai, on three loopback listeners as fal is on three hosts: the queue ({@link #queueUrl()},
 * {@code queue.fal.run}), the platform API's request list ({@link #apiUrl()}, {@code api.fal.ai}) and the CDN the
 * videos are on ({@link #filesUrl()}, {@code v3.fal.media}), which takes no key and notes whether one ever came.
 */
public class FalSimulator extends Simulator {

    private final byte[] video = Wire.resource("simulator/sample.mp4");
    private volatile String apiBase;
    private volatile String filesBase;
    private volatile boolean filesSawAuthorization;

    public FalSimulator(SimulatorSettings settings, String apiKey) {
        super(settings, apiKey);
        speak(new FalQueueDialect(this));
    }

    @Override
    public FalSimulator start() {
        super.start();
        return this;
    }

    @Override
    public FalSimulator start(int port) {
        super.start(port);
        apiBase = listen(pipeline(List.of(new FalPlatformDialect(this))));
        LoopbackHttpServer.Handler files = pipeline(List.of(new FalFilesDialect(this)));
        filesBase = listen(request -> {
            if (request.header("Authorization") != null) {
                filesSawAuthorization = true;
            }
            return files.handle(request);
        });
        return this;
    }

    /** The queue's root, as {@code sora.fal.queue-url} takes it ({@code https://queue.fal.run}). */
    public String queueUrl() {
        return baseUrl();
    }

    /** The platform API's root, as {@code sora.fal.api-url} takes it ({@code https://api.fal.ai/v1}). */
    public String apiUrl() {
        return apiBase + "/v1";
    }

    /** Where the result's video URLs point: another origin than the queue. */
    public String filesUrl() {
        return filesBase;
    }

    /** Whether any request to the CDN carried an {@code Authorization} header: a key must never go there. */
    public boolean filesSawAuthorization() {
        return filesSawAuthorization;
    }

    byte[] video() {
        return video;
    }
}
