package dev.sorabatch.cli;

import java.time.Duration;

import dev.sorabatch.config.SoraProperties;
import dev.sorabatch.simulator.SoraSimulator;
import dev.sorabatch.sora.ApiKey;
import dev.sorabatch.sora.AzureEndpoint;
import dev.sorabatch.sora.AzureSoraClient;
import dev.sorabatch.sora.ImageFetcher;
import dev.sorabatch.sora.RequestRateLimiter;
import dev.sorabatch.sora.Retrier;
import dev.sorabatch.sora.SoraConnection;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Builds the connection a run uses from the configuration: the real service, or the local simulator. */
public class SoraConnectionFactory {

    private final SoraProperties properties;
    private final ObjectMapper json = JsonMapper.builder().build();

    public SoraConnectionFactory(SoraProperties properties) {
        this.properties = properties;
    }

    /** @throws UsageException when the endpoint or key is missing or malformed */
    public SoraConnection forService() {
        AzureEndpoint endpoint;
        try {
            endpoint = AzureEndpoint.parse(properties.endpoint());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + dev.sorabatch.i18n.Messages.get("config.or-simulate"));
        }
        ApiKey key = new ApiKey(properties.apiKey());
        if (key.isBlank()) {
            throw new UsageException(dev.sorabatch.i18n.Messages.get("config.key-missing"));
        }
        OkHttpClient http = http();
        return new SoraConnection(new AzureSoraClient(endpoint, key, properties.deployment(), http, json, limiter()),
                new ImageFetcher(http, properties.imageMaxBytes()), retrier());
    }

    /** Points the client at the simulator; image URLs are answered by the simulator too, so nothing leaves here. */
    public SoraConnection forSimulator(SoraSimulator simulator) {
        OkHttpClient http = http();
        HttpUrl base = HttpUrl.get(simulator.baseUrl());
        Interceptor localImages = chain -> {
            HttpUrl original = chain.request().url();
            HttpUrl local = base.newBuilder().addPathSegment(SoraSimulator.IMAGE_PATH.substring(1))
                    .addPathSegment(original.host()).addPathSegments(original.encodedPath().substring(1)).build();
            return chain.proceed(chain.request().newBuilder().url(local).build());
        };
        OkHttpClient imageHttp = http.newBuilder().addInterceptor(localImages).build();
        AzureEndpoint endpoint = AzureEndpoint.parse(simulator.baseUrl());
        // The simulated resource's quota is the one to respect (none unless sora.simulator.requests-per-minute).
        return new SoraConnection(new AzureSoraClient(endpoint, new ApiKey(simulator.apiKey()),
                properties.deployment(), http, json, new RequestRateLimiter(simulator.requestsPerMinute())),
                new ImageFetcher(imageHttp, properties.imageMaxBytes()), retrier());
    }

    private OkHttpClient http() {
        return new OkHttpClient.Builder()
                .connectTimeout(properties.http().connectTimeout())
                .readTimeout(properties.http().readTimeout())
                .writeTimeout(properties.http().readTimeout())
                .callTimeout(Duration.ZERO)
                .build();
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
