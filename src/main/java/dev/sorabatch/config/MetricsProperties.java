package dev.sorabatch.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the run's metrics go ({@code sora.metrics.*}): a Prometheus Pushgateway at {@code pushgatewayUrl}
 * (no push when unset), every {@code pushEvery} during a run and at its end, under the Pushgateway job name
 * {@code job}. README, "Metrics".
 */
@ConfigurationProperties("sora.metrics")
public class MetricsProperties {

    private String pushgatewayUrl;
    private Duration pushEvery = Duration.ofSeconds(30);
    private String job = "sora-batch";

    public String getPushgatewayUrl() {
        return pushgatewayUrl;
    }

    public void setPushgatewayUrl(String pushgatewayUrl) {
        this.pushgatewayUrl = pushgatewayUrl;
    }

    public Duration getPushEvery() {
        return pushEvery;
    }

    public void setPushEvery(Duration pushEvery) {
        this.pushEvery = pushEvery;
    }

    public String getJob() {
        return job;
    }

    public void setJob(String job) {
        this.job = job;
    }
}
