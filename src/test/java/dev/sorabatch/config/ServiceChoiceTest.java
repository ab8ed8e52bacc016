package dev.sorabatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.sorabatch.service.Provider;

class ServiceChoiceTest {

    @Test
    void theProviderIsInferredFromTheEndpointAndTheVariables() {
        assertThat(choose("https://res.openai.azure.com", null, null, null).provider()).isEqualTo(Provider.AZURE_SORA);
        assertThat(choose("https://res.openai.azure.com/openai/v1/video/generations/jobs?api-version=preview", null,
                null, null).provider()).isEqualTo(Provider.AZURE_SORA);
        assertThat(choose("https://res.openai.azure.com/openai/v1", null, null, null).provider())
                .isEqualTo(Provider.OPENAI_VIDEOS);
        assertThat(choose("http://localhost:4000/v1", null, null, null).provider()).isEqualTo(Provider.OPENAI_VIDEOS);
        assertThat(choose(null, null, "sk-x", null).provider()).isEqualTo(Provider.OPENAI_VIDEOS);
        assertThat(choose(null, null, null, null).provider()).isEqualTo(Provider.AZURE_SORA);
    }

    @Test
    void aChoicePrintedAnywhereNamesTheKeysVariableNeverTheKey() {
        ServiceChoice choice = choose(null, null, "sk-secret-1234", null);

        assertThat(choice.toString()).doesNotContain("sk-secret-1234").contains("OPENAI_API_KEY");
    }

    @Test
    void theVideosApiRootDefaultsToOpenAiAndTakesTheOpenAiKeyAndSora2() {
        ServiceChoice openai = choose(null, null, "sk-x", null);
        assertThat(openai.endpoint()).isEqualTo("https://api.openai.com/v1");
        assertThat(openai.apiKey()).isEqualTo("sk-x");
        assertThat(openai.model()).isEqualTo("sora-2");
        assertThat(openai.keyVariable()).isEqualTo("OPENAI_API_KEY");
        assertThat(openai.rowDefaults(properties(null, null, null, null, "auto")).width()).isEqualTo(720);

        // an Azure resource given as a bare URL, with the Azure key, for its sora-2 deployment
        ServiceChoice azure = ServiceChoice.resolve(properties("https://res.openai.azure.com/", "azure-key", null,
                null, "auto"), "openai-videos");
        assertThat(azure.endpoint()).isEqualTo("https://res.openai.azure.com/openai/v1");
        assertThat(azure.apiKey()).isEqualTo("azure-key");
        assertThat(azure.keyVariable()).isEqualTo("AZURE_API_KEY");

        // a pasted .../videos URL loses its tail
        assertThat(choose(null, "http://gateway:4000/v1/videos/", "k", null).endpoint())
                .isEqualTo("http://gateway:4000/v1");
    }

    @Test
    void anExplicitProviderWinsAndAnUnknownOneIsRefused() {
        assertThat(ServiceChoice.resolve(properties("http://localhost:4000/v1", "k", null, null, "auto"),
                "azure-sora").provider()).isEqualTo(Provider.AZURE_SORA);
        assertThatThrownBy(() -> ServiceChoice.resolve(properties(null, null, null, null, "auto"), "veo"))
                .hasMessageContaining("provider 'veo' is unknown; use one of azure-sora, openai-videos, fal");
    }

    private static ServiceChoice choose(String endpoint, String openaiBase, String openaiKey, String deployment) {
        return ServiceChoice.resolve(properties(endpoint, null, openaiBase, openaiKey, "auto"), null);
    }

    private static SoraProperties properties(String endpoint, String apiKey, String openaiBase, String openaiKey,
            String provider) {
        return properties(endpoint, apiKey, openaiBase, openaiKey, provider, null, null);
    }

    private static SoraProperties properties(String endpoint, String apiKey, String openaiBase, String openaiKey,
            String provider, String falKey, String model) {
        return new SoraProperties(endpoint, apiKey, null, model, provider,
                new SoraProperties.OpenAi(openaiBase, openaiKey),
                new SoraProperties.Fal("https://queue.fal.run", "https://api.fal.ai/v1", falKey, null, null),
                new SoraProperties.Defaults(null, null, null, 1), 2, 4, 60,
                new SoraProperties.Poll(Duration.ofSeconds(5), Duration.ofMillis(250), true, Duration.ofMillis(200)),
                Duration.ofMinutes(20), Duration.ofHours(24),
                new SoraProperties.Retry(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(120), 5,
                        Duration.ofSeconds(10)),
                new SoraProperties.Http(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMinutes(2),
                        Duration.ofSeconds(60), Duration.ofMinutes(5), 262_144), 20_971_520, 32_000, 5,
                new SoraProperties.Schedule(0, 1), "en", new SoraProperties.Dotenv(".", java.util.List.of()),
                java.util.List.of());
    }
}
