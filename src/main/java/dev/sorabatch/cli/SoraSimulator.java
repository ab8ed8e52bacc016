package dev.sorabatch.cli;

import dev.sorabatch.provider.azure.AzureJobsDialect;
import dev.sorabatch.provider.openai.VideosDialect;
import dev.sorabatch.simulator.Simulator;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * The simulated Azure resource with a Sora deployment: the jobs API, and the Videos API as both OpenAI
 * ({@code /v1/videos}) and Azure sora-2 deployments ({@code /openai/v1/videos}) serve it, on the same jobs, quota,
 * running-jobs cap and faults.
 */
public class SoraSimulator extends Simulator {

    public SoraSimulator(SimulatorSettings settings, String apiKey) {
        super(settings, apiKey);
        speak(new VideosDialect(this));
        speak(new AzureJobsDialect(this));
    }

    @Override
    public SoraSimulator start() {
        super.start();
        return this;
    }

    @Override
    public SoraSimulator start(int port) {
        super.start(port);
        return this;
    }

    /** The Videos API root, as a user would put it in {@code OPENAI_BASE_URL}. */
    public String videosBaseUrl() {
        return VideosDialect.baseUrl(this);
    }
}
