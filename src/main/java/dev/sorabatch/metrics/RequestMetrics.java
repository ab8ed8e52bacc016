package dev.sorabatch.metrics;

import java.io.IOException;
import java.util.Locale;

import dev.sorabatch.service.Operation;
import dev.sorabatch.service.Provider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * {@code sora.requests}: every HTTP call a run makes, by protocol ({@code provider}), {@code operation} (create,
 * poll, list, delete, download_video, download_thumbnail, image) and final HTTP {@code status} ({@code
 * network_error} when no answer came). Counted by an OkHttp interceptor on each connection's client; the operation
 * is the tag {@code ServiceHttp} and {@code ImageFetcher} put on each request. A redirect followed is one call.
 */
public class RequestMetrics {

    static final String NAME = "sora.requests";

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public Interceptor interceptor(Provider provider) {
        return chain -> {
            Operation operation = chain.request().tag(Operation.class);
            String name = operation == null ? "other" : operation == Operation.FETCH_IMAGE ? "image"
                    : operation.name().toLowerCase(Locale.ROOT);
            try {
                Response response = chain.proceed(chain.request());
                count(provider, name, Integer.toString(response.code()));
                return response;
            } catch (IOException | RuntimeException e) {
                count(provider, name, "network_error");
                throw e;
            }
        };
    }

    private void count(Provider provider, String operation, String status) {
        Counter.builder(NAME).description("HTTP calls to the video service and image URLs")
                .tag("provider", provider.id()).tag("operation", operation).tag("status", status)
                .register(registry).increment();
    }
}
