package dev.sorabatch.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.sorabatch.config.ServiceChoice;
import dev.sorabatch.config.SoraProperties;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.job.Endpoints;
import dev.sorabatch.http.ApiKey;
import dev.sorabatch.provider.azure.AzureEndpoint;
import dev.sorabatch.provider.azure.AzureSoraClient;
import dev.sorabatch.http.HttpDeadlines;
import dev.sorabatch.http.ImageFetcher;
import dev.sorabatch.provider.fal.FalQueueClient;
import dev.sorabatch.provider.fal.FalSimulator;
import dev.sorabatch.provider.gemini.GeminiSimulator;
import dev.sorabatch.provider.gemini.GeminiVeoClient;
import dev.sorabatch.provider.openai.OpenAiVideosClient;
import dev.sorabatch.provider.vertex.VertexSimulator;
import dev.sorabatch.provider.vertex.VertexVeoClient;
import dev.sorabatch.service.Provider;
import dev.sorabatch.service.RequestRateLimiter;
import dev.sorabatch.service.Retrier;
import dev.sorabatch.service.VideoService;
import dev.sorabatch.simulator.Simulator;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.job.ServiceConnection;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the connection a run uses from the configuration: the real service in the protocol {@link ServiceChoice}
 * chose, or the local simulator speaking it.
 */
public class SoraConnectionFactory {

    private final SoraProperties properties;
    private final ServiceChoice choice;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final java.util.function.Function<Provider, Interceptor> requestMetrics;

    public SoraConnectionFactory(SoraProperties properties, ServiceChoice choice) {
        this(properties, choice, provider -> null);
    }

    /** @param requestMetrics counts each HTTP call of a connection speaking that protocol (null: none) */
    public SoraConnectionFactory(SoraProperties properties, ServiceChoice choice,
            java.util.function.Function<Provider, Interceptor> requestMetrics) {
        this.properties = properties;
        this.choice = choice;
        this.requestMetrics = requestMetrics;
    }

    public ServiceChoice choice() {
        return choice;
    }

    /**
     * The run's endpoints: the one configured the usual way, or each of {@code sora.endpoints} with its own key,
     * deployment, in-flight cap and request quota.
     *
     * @throws UsageException when an endpoint or key is missing or malformed
     */
    public List<Endpoints.Endpoint> forServices() {
        if (properties.endpoints().isEmpty()) {
            return List.of(new Endpoints.Endpoint(Endpoints.DEFAULT, forService(), properties.maxInFlight()));
        }
        List<Endpoints.Endpoint> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < properties.endpoints().size(); i++) {
            SoraProperties.EndpointSettings settings = properties.endpoints().get(i);
            String name = settings.name() == null || settings.name().isBlank() ? "endpoint-" + (i + 1)
                    : settings.name().strip();
            if (!names.add(name)) {
                throw new UsageException("two endpoints in sora.endpoints are named '" + name + "'; give each its own "
                        + "name (the ledger records which one each job was sent to).");
            }
            ServiceChoice endpoint = ServiceChoice.forEndpoint(properties, i, choice.provider().id());
            int rpm = settings.requestsPerMinute() != null ? settings.requestsPerMinute()
                    : properties.requestsPerMinute();
            int cap = settings.maxInFlight() != null ? settings.maxInFlight() : properties.maxInFlight();
            endpoints.add(new Endpoints.Endpoint(name, connect(endpoint, new RequestRateLimiter(rpm)), cap));
        }
        return endpoints;
    }

    /** The endpoint configured the usual way ({@code sora.endpoint} or the OpenAI variables). */
    public ServiceConnection forService() {
        return connect(choice, limiter());
    }

    private ServiceConnection connect(ServiceChoice service, RequestRateLimiter limiter) {
        ApiKey key = checked(new ApiKey(service.apiKey()), service.keyVariable());
        HttpDeadlines deadlines = properties.http().deadlines();
        OkHttpClient http = http(service.provider());
        VideoService client;
        if (service.provider() == Provider.AZURE_SORA) {
            AzureEndpoint endpoint;
            try {
                endpoint = AzureEndpoint.parse(service.endpoint());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage() + Messages.get("config.or-simulate"));
            }
            if (key.isBlank()) {
                throw new UsageException(Messages.get("config.key-missing"));
            }
            client = new AzureSoraClient(endpoint, key, service.model(), http, json, limiter, deadlines);
        } else if (service.provider() == Provider.FAL) {
            client = fal(service, key, http, limiter, deadlines);
        } else if (service.provider() == Provider.GEMINI_VEO) {
            client = gemini(service, key, http, limiter, deadlines);
        } else if (service.provider() == Provider.VERTEX_VEO) {
            client = vertex(service, googleCredentials(), http, limiter, deadlines);
        } else {
            HttpUrl base = HttpUrl.parse(service.endpoint());
            if (base == null) {
                throw new UsageException(Messages.get("config.videos-not-url", service.endpoint()));
            }
            if (key.isBlank()) {
                throw new UsageException(Messages.get("config.key-missing.videos", base));
            }
            client = new OpenAiVideosClient(base, key, OpenAiVideosClient.authFor(base), service.model(), http, json,
                    limiter, deadlines);
        }
        return new ServiceConnection(client, images(http), retrier());
    }

    /** The fal queue at {@code FAL_QUEUE_URL}, its request list at {@code FAL_API_URL}. */
    private VideoService fal(ServiceChoice service, ApiKey key, OkHttpClient http, RequestRateLimiter limiter,
            HttpDeadlines deadlines) {
        HttpUrl queue = falUrl("FAL_QUEUE_URL", service.endpoint(), FalQueueClient.DEFAULT_QUEUE_URL);
        HttpUrl api = falUrl("FAL_API_URL", properties.fal().apiUrl(), FalQueueClient.DEFAULT_API_URL);
        if (key.isBlank()) {
            throw new UsageException(Messages.get("config.key-missing.fal"));
        }
        return new FalQueueClient(queue, api, key, service.model(), http, json, limiter, deadlines);
    }

    /** Veo on the Gemini API at {@code sora.gemini.base-url}, with {@code GEMINI_API_KEY} (or {@code GOOGLE_API_KEY}). */
    private VideoService gemini(ServiceChoice service, ApiKey key, OkHttpClient http, RequestRateLimiter limiter,
            HttpDeadlines deadlines) {
        HttpUrl base = url("sora.gemini.base-url", service.endpoint(), GeminiVeoClient.DEFAULT_BASE_URL,
                "config.vertex-not-url");
        if (key.isBlank()) {
            throw new UsageException(Messages.get("config.key-missing.gemini"));
        }
        return new GeminiVeoClient(base, key, service.keyVariable(), service.model(), http, json, limiter, deadlines);
    }

    /** Veo on Vertex in {@code sora.vertex.project} and {@code .location}, with these Google credentials. */
    VertexVeoClient vertex(ServiceChoice service, com.google.auth.oauth2.GoogleCredentials credentials,
            OkHttpClient http, RequestRateLimiter limiter, HttpDeadlines deadlines) {
        SoraProperties.Vertex vertex = properties.vertex();
        if (vertex.project() == null || vertex.project().isBlank()) {
            throw new UsageException(Messages.get("config.vertex-no-project"));
        }
        HttpUrl base = url("sora.vertex.base-url", service.endpoint(), vertex.resolvedBaseUrl(),
                "config.vertex-not-url");
        HttpUrl storage = url("sora.vertex.storage-url", vertex.storageUrl(), VertexVeoClient.DEFAULT_STORAGE_URL,
                "config.vertex-not-url");
        String storageUri = vertex.storageUri();
        if (storageUri != null && !storageUri.isBlank() && !storageUri.strip().matches("gs://[^/\\s]+(/\\S*)?")) {
            throw new UsageException(Messages.get("config.vertex-storage-uri", storageUri));
        }
        return new VertexVeoClient(base, storage, vertex.project().strip(), vertex.location().strip(), storageUri,
                credentials, service.model(), http, json, limiter, deadlines);
    }

    /**
     * The key file of {@code sora.vertex.credentials-file} (GOOGLE_APPLICATION_CREDENTIALS, also from .env), else
     * Google's Application Default Credentials; or a usage error saying how to set them up.
     */
    com.google.auth.oauth2.GoogleCredentials googleCredentials() {
        String file = properties.vertex().credentialsFile();
        try {
            if (file != null && !file.isBlank()) {
                return VertexVeoClient.credentialsFile(java.nio.file.Path.of(file.strip()));
            }
            return VertexVeoClient.applicationDefaultCredentials();
        } catch (java.io.IOException e) {
            throw new UsageException(file == null || file.isBlank() ? Messages.get("config.vertex-no-adc")
                    : Messages.get("config.vertex-credentials-file", file, e.getMessage()));
        }
    }

    private static HttpUrl falUrl(String variable, String value, String fallback) {
        return url(variable, value, fallback, "config.fal-not-url");
    }

    private static HttpUrl url(String variable, String value, String fallback, String notUrlKey) {
        HttpUrl url = HttpUrl.parse(value == null || value.isBlank() ? fallback : value.strip());
        if (url == null) {
            throw new UsageException(Messages.get(notUrlKey, variable, value, fallback));
        }
        return url;
    }

    /**
     * A key HTTP cannot carry is refused before any call, naming where it came from and the position, never the
     * value (OkHttp's own message would quote it).
     */
    private static ApiKey checked(ApiKey key, String variable) {
        if (key.badCharPosition() > 0) {
            throw new UsageException(Messages.get("config.key-bad-char", variable, key.badCharPosition(),
                    key.badChar()));
        }
        return key;
    }

    private ImageFetcher images(OkHttpClient http) {
        return new ImageFetcher(http, properties.imageMaxBytes(), properties.http().imageDeadline());
    }

    /** A simulator speaking the chosen protocol (fal's queue, or the Sora pair's two APIs), started, with its own key. */
    public Simulator startSimulator(SimulatorSettings settings) {
        String key = "sim-" + java.util.UUID.randomUUID();
        if (choice.provider() == Provider.VERTEX_VEO) {
            return new VertexSimulator(settings, properties.vertex().project()).start();
        }
        if (choice.provider() == Provider.GEMINI_VEO) {
            return new GeminiSimulator(settings, key).start();
        }
        return choice.provider() == Provider.FAL ? new FalSimulator(settings, key).start()
                : new SoraSimulator(settings, key).start();
    }

    /** Points the client at the simulator; image URLs are answered by the simulator too, so nothing leaves here. */
    public ServiceConnection forSimulator(Simulator simulator) {
        OkHttpClient http = http(choice.provider());
        HttpUrl base = HttpUrl.get(simulator.baseUrl());
        Interceptor localImages = chain -> {
            HttpUrl original = chain.request().url();
            HttpUrl local = base.newBuilder().addPathSegment(Simulator.IMAGE_PATH.substring(1))
                    .addPathSegment(original.host()).addPathSegments(original.encodedPath().substring(1)).build();
            return chain.proceed(chain.request().newBuilder().url(local).build());
        };
        OkHttpClient imageHttp = http.newBuilder().addInterceptor(localImages).build();
        // The simulated resource's quota is the one to respect (none unless sora.simulator.requests-per-minute).
        RequestRateLimiter limiter = new RequestRateLimiter(simulator.requestsPerMinute());
        ApiKey key = new ApiKey(simulator.apiKey());
        HttpDeadlines deadlines = properties.http().deadlines();
        VideoService client;
        if (simulator instanceof VertexSimulator google) {
            client = simulatedVertex(google, http, limiter, deadlines);
        } else if (simulator instanceof FalSimulator fal) {
            client = new FalQueueClient(HttpUrl.get(fal.queueUrl()), HttpUrl.get(fal.apiUrl()), key, choice.model(),
                    http, json, limiter, deadlines);
        } else if (simulator instanceof GeminiSimulator gemini) {
            client = new GeminiVeoClient(HttpUrl.get(gemini.apiUrl()), key, choice.keyVariable(), choice.model(), http,
                    json, limiter, deadlines);
        } else if (choice.provider() == Provider.AZURE_SORA) {
            client = new AzureSoraClient(AzureEndpoint.parse(simulator.baseUrl()), key, choice.model(), http, json,
                    limiter, deadlines);
        } else {
            client = new OpenAiVideosClient(HttpUrl.get(((SoraSimulator) simulator).videosBaseUrl()), key,
                    OpenAiVideosClient.Auth.BEARER, choice.model(), http, json, limiter, deadlines);
        }
        return new ServiceConnection(client, images(imageHttp), retrier());
    }

    /** The simulated project, its APIs and storage, with the key file it wrote read as Google's library reads one. */
    private VertexVeoClient simulatedVertex(VertexSimulator google, OkHttpClient http, RequestRateLimiter limiter,
            HttpDeadlines deadlines) {
        try {
            return new VertexVeoClient(HttpUrl.get(google.apiUrl()), HttpUrl.get(google.storageUrl()), google.project(),
                    properties.vertex().location().strip(), properties.vertex().storageUri(),
                    VertexVeoClient.credentialsFile(google.credentialsFile()), choice.model(), http, json, limiter,
                    deadlines);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each call's overall deadline is set per call (ServiceHttp, ImageFetcher): a download's grows with its size. */
    private OkHttpClient http(Provider provider) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(properties.http().connectTimeout())
                .readTimeout(properties.http().readTimeout())
                .writeTimeout(properties.http().readTimeout());
        Interceptor metrics = requestMetrics.apply(provider);
        if (metrics != null) {
            builder.addInterceptor(metrics);
        }
        return builder.build();
    }

    /** One per endpoint: every call of the run (create, poll, download, list) shares its quota. */
    private RequestRateLimiter limiter() {
        return new RequestRateLimiter(properties.requestsPerMinute());
    }

    private Retrier retrier() {
        SoraProperties.Retry r = properties.retry();
        return new Retrier(new Retrier.Policy(r.maxAttempts(), r.initialDelay(), r.maxDelay(), r.maxRetryAfter()));
    }
}
