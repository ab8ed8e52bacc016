package dev.sorabatch.config;

import java.util.List;
import java.util.Locale;

import dev.sorabatch.csv.RowDefaults;
import dev.sorabatch.provider.azure.AzureRowRules;
import dev.sorabatch.provider.fal.FalQueueClient;
import dev.sorabatch.provider.fal.FalRowRules;
import dev.sorabatch.provider.gemini.GeminiRowRules;
import dev.sorabatch.provider.gemini.GeminiVeoClient;
import dev.sorabatch.provider.openai.VideosRowRules;
import dev.sorabatch.provider.vertex.VertexRowRules;
import dev.sorabatch.provider.vertex.VertexVeoClient;
import dev.sorabatch.service.Provider;
import okhttp3.HttpUrl;

/**
 * Which protocol a run speaks and where, decided once from the configuration, before any call:
 * {@code --provider} (or {@code sora.provider}) when given, otherwise inferred. A full Azure jobs URL
 * ({@code …/video/generations/jobs}) or a bare Azure resource URL means {@code azure-sora}; an endpoint that is a
 * Videos API root ({@code …/v1}, {@code …/videos}, {@code api.openai.com}) or, with no endpoint, the OpenAI
 * variables {@code OPENAI_BASE_URL}/{@code OPENAI_API_KEY} mean {@code openai-videos}; with none of those, a
 * {@code FAL_KEY} means {@code fal}, a {@code GEMINI_API_KEY} or {@code GOOGLE_API_KEY} {@code gemini-veo}, and a
 * {@code GOOGLE_CLOUD_PROJECT} {@code vertex-veo}. The model is {@code sora.model}, else {@code sora.deployment} (the same
 * setting under its Azure name), else the provider's default.
 *
 * @param endpoint Azure: the endpoint as given; Videos API: the root {@code /videos} hangs from; fal: its queue
 * @param keyVariable the variable a user sets the key in, for messages
 */
public record ServiceChoice(Provider provider, String endpoint, String apiKey, String model, String keyVariable) {

    public static final String OPENAI_BASE = "https://api.openai.com/v1";

    /** Names the key's variable, never the key: a record's own toString would print it wherever this is logged. */
    @Override
    public String toString() {
        return "ServiceChoice[provider=" + provider + ", endpoint=" + endpoint + ", apiKey=(" + keyVariable
                + ", not shown), model=" + model + "]";
    }

    /**
     * The first endpoint's choice when {@code sora.endpoints} lists several (they must all speak one protocol: the
     * rows are checked against its limits).
     *
     * @throws IllegalArgumentException for an unknown provider name, or endpoints that speak different protocols
     */
    public static ServiceChoice resolve(SoraProperties properties, String providerOption) {
        if (!properties.endpoints().isEmpty()) {
            List<ServiceChoice> all = new java.util.ArrayList<>();
            for (int i = 0; i < properties.endpoints().size(); i++) {
                all.add(forEndpoint(properties, i, providerOption));
            }
            if (all.stream().map(ServiceChoice::provider).distinct().count() > 1) {
                throw new IllegalArgumentException("the endpoints in sora.endpoints speak different protocols ("
                        + all.stream().map(c -> c.provider().id()).toList() + "); a run uses one: set "
                        + "sora.endpoints[n].provider or split the run");
            }
            return all.get(0);
        }
        String asked = providerOption != null && !providerOption.isBlank() ? providerOption : properties.provider();
        boolean inferred = asked == null || asked.isBlank() || asked.strip().equalsIgnoreCase("auto");
        Provider provider = inferred ? infer(properties) : Provider.of(asked);
        SoraProperties.OpenAi openai = properties.openai();
        if (provider == Provider.AZURE_SORA) {
            return new ServiceChoice(provider, properties.endpoint(), properties.apiKey(),
                    modelOr(properties, "sora"), "AZURE_API_KEY");
        }
        if (provider == Provider.FAL) {
            return new ServiceChoice(provider, properties.fal().queueUrl(), properties.fal().resolvedKey(),
                    modelOr(properties, FalQueueClient.DEFAULT_MODEL), "FAL_KEY");
        }
        if (provider == Provider.GEMINI_VEO) {
            SoraProperties.Gemini gemini = properties.gemini();
            return new ServiceChoice(provider, gemini.baseUrl(), gemini.resolvedKey(),
                    modelOr(properties, GeminiVeoClient.DEFAULT_MODEL), gemini.keyVariable());
        }
        if (provider == Provider.VERTEX_VEO) {
            // no key: Google's Application Default Credentials
            return new ServiceChoice(provider, properties.vertex().resolvedBaseUrl(), null,
                    modelOr(properties, VertexVeoClient.DEFAULT_MODEL), "GOOGLE_APPLICATION_CREDENTIALS");
        }
        String base = !blank(openai.baseUrl()) ? openai.baseUrl()
                : !blank(properties.endpoint()) ? properties.endpoint() : OPENAI_BASE;
        boolean openaiKey = !blank(openai.apiKey());
        return new ServiceChoice(provider, videosRoot(base), openaiKey ? openai.apiKey() : properties.apiKey(),
                modelOr(properties, "sora-2"),
                openaiKey || blank(properties.apiKey()) ? "OPENAI_API_KEY" : "AZURE_API_KEY");
    }

    /** The choice for {@code sora.endpoints[index]}: its own URL, key and deployment, the protocol its URL implies. */
    public static ServiceChoice forEndpoint(SoraProperties properties, int index, String providerOption) {
        SoraProperties.EndpointSettings e = properties.endpoints().get(index);
        String asked = !blank(e.provider()) ? e.provider()
                : providerOption != null && !providerOption.isBlank() ? providerOption : properties.provider();
        boolean inferred = asked == null || asked.isBlank() || asked.strip().equalsIgnoreCase("auto");
        Provider provider = inferred ? inferFrom(e.endpoint(), new SoraProperties.OpenAi(null, null))
                : Provider.of(asked);
        String model = !blank(e.deployment()) ? e.deployment() : modelOr(properties,
                provider == Provider.OPENAI_VIDEOS ? "sora-2" : provider == Provider.FAL ? FalQueueClient.DEFAULT_MODEL
                        : provider == Provider.GEMINI_VEO ? GeminiVeoClient.DEFAULT_MODEL : "sora");
        String endpoint = provider == Provider.OPENAI_VIDEOS ? videosRoot(blank(e.endpoint()) ? OPENAI_BASE
                : e.endpoint()) : provider == Provider.FAL && blank(e.endpoint()) ? properties.fal().queueUrl()
                : provider == Provider.GEMINI_VEO && blank(e.endpoint()) ? properties.gemini().baseUrl()
                : e.endpoint();
        return new ServiceChoice(provider, endpoint, e.apiKey(), model, "sora.endpoints[" + index + "].api-key");
    }

    /** Values for empty cells: the configured ones, else the provider's own defaults. */
    public RowDefaults rowDefaults(SoraProperties properties) {
        SoraProperties.Defaults d = properties.defaults();
        if (provider == Provider.FAL) {
            // fal asks in aspect ratio and resolution, not pixels; no seconds (0) leaves the model its default
            return new RowDefaults(or(d.width(), 0), or(d.height(), 0), or(d.nSeconds(), 0), d.nVariants(),
                    properties.maxPromptChars(), new FalRowRules(model));
        }
        if (provider == Provider.GEMINI_VEO) {
            // Veo asks in aspect ratio and resolution; no seconds leaves its default (8 s)
            return new RowDefaults(or(d.width(), 0), or(d.height(), 0), or(d.nSeconds(), 0), d.nVariants(),
                    properties.maxPromptChars(), new GeminiRowRules(model));
        }
        if (provider == Provider.VERTEX_VEO) {
            // Veo too asks in aspect ratio and resolution; no seconds leaves its default (8 s)
            return new RowDefaults(or(d.width(), 0), or(d.height(), 0), or(d.nSeconds(), 0), d.nVariants(),
                    properties.maxPromptChars(), new VertexRowRules(model));
        }
        boolean videos = provider == Provider.OPENAI_VIDEOS;
        return new RowDefaults(or(d.width(), videos ? 720 : 480), or(d.height(), videos ? 1280 : 480),
                or(d.nSeconds(), videos ? 4 : 5), d.nVariants(), properties.maxPromptChars(),
                videos ? new VideosRowRules() : new AzureRowRules());
    }

    private static Provider infer(SoraProperties properties) {
        SoraProperties.OpenAi openai = properties.openai();
        boolean soraConfigured = !blank(properties.endpoint()) || !blank(properties.apiKey())
                || !blank(openai.baseUrl()) || !blank(openai.apiKey());
        if (!soraConfigured && !blank(properties.fal().resolvedKey())) {
            return Provider.FAL;
        }
        if (!soraConfigured && !blank(properties.gemini().resolvedKey()) && blank(properties.vertex().project())) {
            return Provider.GEMINI_VEO;
        }
        if (!soraConfigured && !blank(properties.vertex().project())) {
            return Provider.VERTEX_VEO;
        }
        return inferFrom(properties.endpoint(), openai);
    }

    /** {@code sora.model}, else {@code sora.deployment}, else the provider's own default. */
    private static String modelOr(SoraProperties properties, String fallback) {
        return !blank(properties.model()) ? properties.model().strip()
                : !blank(properties.deployment()) ? properties.deployment() : fallback;
    }

    private static Provider inferFrom(String endpoint, SoraProperties.OpenAi openai) {
        if (!blank(endpoint)) {
            String lower = endpoint.toLowerCase(Locale.ROOT);
            if (lower.contains("/video/generations")) {
                return Provider.AZURE_SORA;
            }
            HttpUrl url = HttpUrl.parse(endpoint.strip());
            String path = url == null ? "" : url.encodedPath().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
            boolean videosRoot = path.endsWith("/v1") || path.contains("/videos")
                    || (url != null && url.host().equalsIgnoreCase("api.openai.com"));
            return videosRoot ? Provider.OPENAI_VIDEOS : Provider.AZURE_SORA;
        }
        return !blank(openai.baseUrl()) || !blank(openai.apiKey()) ? Provider.OPENAI_VIDEOS : Provider.AZURE_SORA;
    }

    /**
     * The root {@code /videos} hangs from: a pasted {@code …/videos} URL loses its tail, a bare Azure resource URL
     * gets {@code /openai/v1}.
     */
    static String videosRoot(String base) {
        HttpUrl url = HttpUrl.parse(base.strip());
        if (url == null) {
            return base.strip();
        }
        String path = url.encodedPath();
        int videos = path.toLowerCase(Locale.ROOT).indexOf("/videos");
        if (videos >= 0) {
            path = path.substring(0, videos);
        }
        path = path.replaceAll("/+$", "");
        String host = url.host().toLowerCase(Locale.ROOT);
        if (path.isEmpty() && (host.endsWith(".openai.azure.com") || host.endsWith(".cognitiveservices.azure.com"))) {
            path = "/openai/v1";
        }
        return url.newBuilder().encodedPath(path.isEmpty() ? "/" : path).query(null).build().toString()
                .replaceAll("/+$", "");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
