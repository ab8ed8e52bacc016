package dev.sorabatch.metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sorabatch.config.MetricsProperties;
import dev.sorabatch.config.PricingProperties;
import dev.sorabatch.job.Endpoints;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.job.SubmitWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The run's metrics (README, "Metrics") in Boot's {@link MeterRegistry} (a Prometheus one), fed at the seams: the
 * ledger where rows end, the submit writer where rows wait for a slot, the endpoints for the jobs in flight, and
 * each connection's HTTP client ({@link RequestMetrics}). Spring Batch's own job and step observations are recorded
 * in the same registry by Boot's batch auto-configuration, since an ObservationRegistry exists.
 */
@Configuration
public class MetricsConfiguration {

    @Bean
    public RunMetrics runMetrics(MeterRegistry registry, PricingProperties pricing, Ledger ledger,
            SubmitWriter submitWriter, Endpoints endpoints) {
        RunMetrics metrics = new RunMetrics(registry, pricing.getPerSecond());
        ledger.onRowEnded(metrics::rowEnded);
        submitWriter.onSlotWaited(metrics::slotWaited);
        Gauge.builder("sora.jobs.in.flight", endpoints, Endpoints::inFlight)
                .description("Video jobs submitted and not yet finished, on every endpoint").register(registry);
        return metrics;
    }

    @Bean
    public RequestMetrics requestMetrics(MeterRegistry registry) {
        return new RequestMetrics(registry);
    }

    @Bean(destroyMethod = "shutdown")
    public MetricsPush metricsPush(MetricsProperties properties, ObjectProvider<PrometheusRegistry> registry) {
        return new MetricsPush(properties, registry.getIfAvailable());
    }
}
