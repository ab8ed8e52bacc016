package dev.sorabatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.sorabatch.provider.gemini.GeminiRowRules;
import dev.sorabatch.provider.gemini.GeminiVeoClient;
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

    @Test
    void aFalKeyAloneMeansFalWithItsQueueAndDefaultModelAndTheKeyIsNamedNeverShown() {
        ServiceChoice fal = ServiceChoice.resolve(properties(null, null, null, null, "auto", "fal-secret-99", null),
                null);

        assertThat(fal.provider()).isEqualTo(Provider.FAL);
        assertThat(fal.endpoint()).isEqualTo("https://queue.fal.run");
        assertThat(fal.model()).isEqualTo("fal-ai/veo3.1/fast");
        assertThat(fal.keyVariable()).isEqualTo("FAL_KEY");
        assertThat(fal.toString()).doesNotContain("fal-secret-99");
        assertThat(fal.rowDefaults(properties(null, null, null, null, "auto", "k", null)).rules())
                .isInstanceOf(dev.sorabatch.provider.fal.FalRowRules.class);
        // an Azure or OpenAI setting beside it keeps the Sora inference as it was
        assertThat(ServiceChoice.resolve(properties(null, null, null, "sk-x", "auto", "k", null), null).provider())
                .isEqualTo(Provider.OPENAI_VIDEOS);
        assertThat(ServiceChoice.resolve(properties("https://res.openai.azure.com", "a", null, null, "auto", "k",
                null), null).provider()).isEqualTo(Provider.AZURE_SORA);
    }

    @Test
    void theKeyIdAndSecretAreJoinedAsFalsClientsDoAndSoraModelWinsOverSoraDeployment() {
        SoraProperties.Fal pair = new SoraProperties.Fal("https://queue.fal.run", "https://api.fal.ai/v1", null,
                "id-1", "secret-2");
        assertThat(pair.resolvedKey()).isEqualTo("id-1:secret-2");

        ServiceChoice fal = ServiceChoice.resolve(properties(null, null, null, null, "auto", "k",
                "fal-ai/kling-video/v2.1/standard/image-to-video"), "fal");
        assertThat(fal.model()).isEqualTo("fal-ai/kling-video/v2.1/standard/image-to-video");
        assertThat(ServiceChoice.resolve(properties("https://res.openai.azure.com", "a", null, null, "auto", null,
                "sora-turbo"), null).model()).isEqualTo("sora-turbo");
    }

    private static ServiceChoice choose(String endpoint, String openaiBase, String openaiKey, String deployment) {
        return ServiceChoice.resolve(properties(endpoint, null, openaiBase, openaiKey, "auto"), null);
    }

    @Test
    void aGoogleProjectAloneMeansVertexVeoOnTheLocationsEndpoint() {
        ServiceChoice vertex = ServiceChoice.resolve(properties(null, null, null, null, "auto", null, null, "my-proj"),
                null);
        assertThat(vertex.provider()).isEqualTo(Provider.VERTEX_VEO);
        assertThat(vertex.endpoint()).isEqualTo("https://europe-west4-aiplatform.googleapis.com/v1");
        assertThat(vertex.model()).isEqualTo("veo-3.1-fast-generate-001");
        assertThat(vertex.apiKey()).isNull();
        assertThat(vertex.rowDefaults(properties(null, null, null, null, "auto", null, null, "my-proj")).width())
                .isZero();
        // another service configured as well: that one is meant (GOOGLE_CLOUD_PROJECT is often set for other tools)
        assertThat(ServiceChoice.resolve(properties(null, null, null, "sk-x", "auto", null, null, "my-proj"), null)
                .provider()).isEqualTo(Provider.OPENAI_VIDEOS);
        assertThat(ServiceChoice.resolve(properties(null, null, null, null, "auto", "fal-k", null, "my-proj"), null)
                .provider()).isEqualTo(Provider.FAL);
        assertThat(ServiceChoice.resolve(properties(null, null, null, null, "vertex-veo", null, "veo-3.1-generate-001",
                null), null).model()).isEqualTo("veo-3.1-generate-001");
    }

    @Test
    void aGeminiKeyAloneMeansTheGeminiApiAndTheVariableUsedIsNamedNeverTheKey() {
        ServiceChoice gemini = ServiceChoice.resolve(gemini("AIza-gemini-key", null, null, null, null), null);

        assertThat(gemini.provider()).isEqualTo(Provider.GEMINI_VEO);
        assertThat(gemini.endpoint()).isEqualTo("https://generativelanguage.googleapis.com/v1beta");
        assertThat(gemini.model()).isEqualTo("veo-3.1-fast-generate-preview");
        assertThat(gemini.apiKey()).isEqualTo("AIza-gemini-key");
        assertThat(gemini.keyVariable()).isEqualTo("GEMINI_API_KEY");
        assertThat(gemini.toString()).doesNotContain("AIza-gemini-key").contains("GEMINI_API_KEY");
        assertThat(gemini.rowDefaults(gemini("AIza-gemini-key", null, null, null, null)).rules())
                .isInstanceOf(GeminiRowRules.class);
        assertThat(gemini.rowDefaults(gemini("AIza-gemini-key", null, null, null, null)).nSeconds()).isZero();
    }

    @Test
    void googleApiKeyWinsOverGeminiApiKeyAsGooglesSdkDoesAndOtherServicesWinOverBoth() {
        ServiceChoice google = ServiceChoice.resolve(gemini(null, "AIza-google", null, null, null), null);
        ServiceChoice both = ServiceChoice.resolve(gemini("AIza-gemini", "AIza-google", null, null, null), null);

        assertThat(google.provider()).isEqualTo(Provider.GEMINI_VEO);
        assertThat(google.keyVariable()).isEqualTo("GOOGLE_API_KEY");
        assertThat(both.apiKey()).isEqualTo("AIza-google");
        assertThat(both.keyVariable()).isEqualTo("GOOGLE_API_KEY");
        assertThat(gemini("AIza-gemini", "AIza-google", null, null, null).gemini().bothKeys()).isTrue();
        assertThat(gemini("AIza-same", "AIza-same", null, null, null).gemini().bothKeys()).isFalse();
        // another service's variables set too: not inferred (GOOGLE_API_KEY is set for many Google tools)
        assertThat(ServiceChoice.resolve(gemini("AIza-g", null, "sk-x", null, null), null).provider())
                .isEqualTo(Provider.OPENAI_VIDEOS);
        assertThat(ServiceChoice.resolve(gemini("AIza-g", null, null, "fal-k", null), null).provider())
                .isEqualTo(Provider.FAL);
        assertThat(ServiceChoice.resolve(gemini("AIza-g", null, null, null, "my-proj"), null).provider())
                .isEqualTo(Provider.VERTEX_VEO);
        assertThat(ServiceChoice.resolve(gemini("AIza-g", null, null, null, "my-proj"), "gemini-veo").provider())
                .isEqualTo(Provider.GEMINI_VEO);
    }

    private static SoraProperties properties(String endpoint, String apiKey, String openaiBase, String openaiKey,
            String provider) {
        return properties(endpoint, apiKey, openaiBase, openaiKey, provider, null, null);
    }

    private static SoraProperties properties(String endpoint, String apiKey, String openaiBase, String openaiKey,
            String provider, String falKey, String model) {
        return properties(endpoint, apiKey, openaiBase, openaiKey, provider, falKey, model, null);
    }

    private static SoraProperties properties(String endpoint, String apiKey, String openaiBase, String openaiKey,
            String provider, String falKey, String model, String googleProject) {
        return properties(endpoint, apiKey, openaiBase, openaiKey, provider, falKey, model, googleProject,
                new SoraProperties.Gemini(GeminiVeoClient.DEFAULT_BASE_URL, null, null));
    }

    /** With the Gemini API's key variables: {@code GEMINI_API_KEY}, {@code GOOGLE_API_KEY}. */
    private static SoraProperties gemini(String geminiKey, String googleKey, String openaiKey, String falKey,
            String googleProject) {
        return properties(null, null, null, openaiKey, "auto", falKey, null, googleProject,
                new SoraProperties.Gemini(GeminiVeoClient.DEFAULT_BASE_URL, geminiKey, googleKey));
    }

    private static SoraProperties properties(String endpoint, String apiKey, String openaiBase, String openaiKey,
            String provider, String falKey, String model, String googleProject, SoraProperties.Gemini gemini) {
        return new SoraProperties(endpoint, apiKey, null, model, provider,
                new SoraProperties.OpenAi(openaiBase, openaiKey),
                new SoraProperties.Fal("https://queue.fal.run", "https://api.fal.ai/v1", falKey, null, null),
                new SoraProperties.Vertex(googleProject, "europe-west4", null, null, "https://storage.googleapis.com",
                        null),
                gemini,
                new SoraProperties.Defaults(null, null, null, 1), 2, 4, 60,
                new SoraProperties.Poll(Duration.ofSeconds(5), Duration.ofMillis(250), true, Duration.ofMillis(200)),
                Duration.ofMinutes(20), Duration.ofHours(24),
                new SoraProperties.Retry(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(120), 5,
                        Duration.ofSeconds(10)),
                new SoraProperties.Http(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMinutes(2),
                        Duration.ofSeconds(60), Duration.ofMinutes(5), 262_144), 20_971_520, 32_000, 5,
                new SoraProperties.Schedule(0, 1, false), "en", new SoraProperties.Dotenv(".", java.util.List.of()),
                java.util.List.of());
    }
}
