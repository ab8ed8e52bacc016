package dev.sorabatch.metrics;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager.ShutdownOperation;

import dev.sorabatch.config.MetricsProperties;
import dev.sorabatch.i18n.Messages;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Pushes the metrics to the Prometheus Pushgateway at {@code sora.metrics.pushgateway-url}, as batch jobs do (they
 * do not live to be scraped): when a run starts and when it ends (a PUT of the whole group, synchronously, a failure
 * said in one line), and every {@code sora.metrics.push-every} in between and once more when the process ends
 * (Boot's {@link PrometheusPushGatewayManager}, whose own failures application.yml keeps quiet: one line per run is
 * enough).
 * The group is {@code job=<sora.metrics.job>, input=<the input's file name>}, so each night's run of a CSV replaces
 * the last one's figures instead of piling up a group per run. Nothing is pushed before a run starts: a dry run,
 * {@code doctor} or {@code --help} send nothing.
 */
public class MetricsPush {

    private static final Logger log = LoggerFactory.getLogger(MetricsPush.class);

    private final MetricsProperties properties;
    private final PrometheusRegistry registry;
    private final URI url;
    private final String shownUrl;
    private PushGateway gateway;
    private PrometheusPushGatewayManager periodic;

    /**
     * @param registry null when no Prometheus registry is configured: then nothing is pushed
     * @throws IllegalArgumentException when the URL is not an http(s) URL with a host (the process does not start)
     */
    public MetricsPush(MetricsProperties properties, PrometheusRegistry registry) {
        this.properties = properties;
        this.registry = registry;
        String configured = properties.getPushgatewayUrl();
        this.url = configured == null || configured.isBlank() ? null : parse(configured.strip());
        this.shownUrl = url == null ? null : url.getScheme() + "://" + address(url); // never the user info
    }

    public boolean enabled() {
        return url != null && registry != null;
    }

    /** The first run starts the periodic push; every run pushes once at its start, to say at once if it cannot. */
    public synchronized void runStarting(Path input) {
        if (!enabled()) {
            return;
        }
        if (gateway == null) {
            gateway = gateway(input);
            Duration every = properties.getPushEvery();
            if (every != null && !every.isNegative() && !every.isZero()) { // 0: only at the start and end of each run
                periodic = new PrometheusPushGatewayManager(gateway, every, ShutdownOperation.PUT);
            }
        }
        push();
    }

    public synchronized void runEnded() {
        if (gateway != null) {
            push();
        }
    }

    /** At the end of the process: the periodic push stops, after a last one. */
    public synchronized void shutdown() {
        if (periodic != null) {
            periodic.shutdown();
            periodic = null;
        }
    }

    private void push() {
        try {
            gateway.push();
        } catch (IOException | RuntimeException e) {
            Throwable cause = e; // the client's own message repeats the URL: its cause says what went wrong
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            log.warn(Messages.get("metrics.push-failed", shownUrl, cause.getMessage() == null
                    ? cause.getClass().getSimpleName() : cause.getMessage()));
        }
    }

    private PushGateway gateway(Path input) {
        PushGateway.Builder builder = PushGateway.builder().registry(registry).address(address(url))
                .scheme("https".equalsIgnoreCase(url.getScheme()) ? Scheme.HTTPS : Scheme.HTTP)
                .job(properties.getJob()).groupingKey("input", input.getFileName().toString())
                .connectionTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10));
        if (url.getRawUserInfo() != null) {
            String[] user = url.getUserInfo().split(":", 2);
            builder.basicAuth(user[0], user.length > 1 ? user[1] : "");
        }
        return builder.build();
    }

    /** {@code host:port/path}, as the Prometheus client takes it (a path prefix before {@code /metrics/job/…}). */
    private static String address(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + path;
    }

    private static URI parse(String configured) {
        try {
            URI url = new URI(configured);
            if (url.getHost() != null && url.getScheme() != null
                    && ("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))
                    && url.getRawQuery() == null) {
                return url;
            }
        } catch (java.net.URISyntaxException e) {
            // said below
        }
        throw new IllegalArgumentException(Messages.get("metrics.bad-url", configured.replaceAll("//[^/@]*@", "//")));
    }
}
