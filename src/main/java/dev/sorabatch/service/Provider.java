package dev.sorabatch.service;

import java.util.Arrays;

/** The video services sora-batch speaks ({@code --provider}); each has its package under {@code provider}. */
public enum Provider {

    /** Azure OpenAI Sora 1: {@code /openai/v1/video/generations/jobs}, {@code api-key}, generations per job. */
    AZURE_SORA("azure-sora"),
    /** The Videos API: {@code POST /videos} on OpenAI, Azure {@code sora-2} and OpenAI-compatible gateways. */
    OPENAI_VIDEOS("openai-videos"),
    /** The fal.ai queue: {@code queue.fal.run/{model}}, {@code Authorization: Key}, the URLs its submit answers. */
    FAL("fal"),
    /** Vertex AI Veo: {@code …/models/{model}:predictLongRunning}, an OAuth bearer token (ADC), no list. */
    VERTEX_VEO("vertex-veo"),
    /** Veo on the Gemini API: {@code …/models/{model}:predictLongRunning}, {@code x-goog-api-key}, no list. */
    GEMINI_VEO("gemini-veo");

    private final String id;

    Provider(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the values allowed */
    public static Provider of(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equalsIgnoreCase(id.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("provider '" + id + "' is unknown; use one of "
                        + String.join(", ", Arrays.stream(values()).map(Provider::id).toList())));
    }

    @Override
    public String toString() {
        return id;
    }
}
