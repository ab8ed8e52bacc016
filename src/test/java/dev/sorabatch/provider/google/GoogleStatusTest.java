package dev.sorabatch.provider.google;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/** Google's error envelope as both Google APIs answer it (shared/providers-api.md §1.7, §2.7). */
class GoogleStatusTest {

    private static GoogleStatus of(String body) {
        return GoogleStatus.of(JsonMapper.builder().build().readTree(body));
    }

    @Test
    void theReasonTheFieldAndTheRetryDelayAreReadFromTheDetailsWhateverTheirOrder() {
        GoogleStatus status = of("{\"error\":{\"code\":429,\"message\":\"Quota exceeded.\",\"status\":"
                + "\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
                + "\"retryDelay\":\"1.5s\"},{\"@type\":\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":"
                + "[{\"field\":\"parameters.sampleCount\"}]},{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
                + "\"reason\":\"RATE_LIMIT_EXCEEDED\"}]}}");

        assertThat(status.status()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(status.message()).isEqualTo("Quota exceeded.");
        assertThat(status.reason()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(status.field()).isEqualTo("parameters.sampleCount");
        assertThat(status.retryDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(status.longerWait(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(1500));
        assertThat(status.longerWait(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aBodyThatIsNoEnvelopeGivesNothingAndAMessageNamesItsParameter() {
        assertThat(GoogleStatus.of(null).status()).isNull();
        assertThat(of("{\"detail\":\"x\"}").message()).isNull();
        assertThat(of("{\"error\":{\"message\":\"`durationSeconds` is out of bound\"}}")
                .namedField(List.of("aspectRatio", "durationSeconds"))).isEqualTo("durationSeconds");
        assertThat(GoogleStatus.delay("soon")).isNull();
        assertThat(GoogleStatus.codeName(13)).isEqualTo("INTERNAL");
        assertThat(GoogleStatus.codeName(99)).isNull();
    }
}
