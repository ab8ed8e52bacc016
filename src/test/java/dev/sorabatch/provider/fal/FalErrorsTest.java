package dev.sorabatch.provider.fal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ModelInputs;
import dev.sorabatch.service.ServiceException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** fal's error answers as the run sees them: what is retried, what fails the row, what stops the run. */
class FalErrorsTest {

    private MockWebServer fal;
    private FalQueueClient client;

    @BeforeEach
    void start() throws Exception {
        fal = new MockWebServer();
        fal.start();
        client = FalQueueClientTest.client(fal, "k-123456", "fal-ai/wan-25-preview/text-to-video");
    }

    @AfterEach
    void stop() {
        fal.close();
    }

    private ServiceException submitAnswered(MockResponse response) {
        fal.enqueue(response);
        return catchThrowableOfType(ServiceException.class, () -> client.create(new CreateVideoRequest("p", 0, 0, 7,
                1, null, null, null, ModelInputs.NONE)));
    }

    private static MockResponse.Builder json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .addHeader("x-fal-request-id", "req-" + code).body(body);
    }

    @Test
    void aValidationErrorFailsTheRowAndItsDiagnosisNamesTheFieldTheColumnAndQuotesTheMessage() {
        ServiceException e = submitAnswered(json(422, "{\"detail\":[{\"loc\":[\"body\",\"duration\"],"
                + "\"msg\":\"Input should be '5' or '10'\",\"type\":\"literal_error\",\"input\":\"7\"}]}").build());

        assertThat(e.kind()).isEqualTo(ErrorKind.ROW);
        assertThat(e.errorCode()).isEqualTo("literal_error");
        assertThat(e.innerCode()).isEqualTo("duration");
        assertThat(e.requestId()).isEqualTo("req-422");
        assertThat(Diagnoses.of(e, client)).contains("duration").contains("\"Input should be '5' or '10'\"")
                .contains("column seconds").contains("fal-ai/wan-25-preview/text-to-video");
    }

    @Test
    void aContentPolicyRefusalIsTheRowsAndNotRetriedWhateverItsStatus() {
        ServiceException e = submitAnswered(json(422, "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":"
                + "\"The content was flagged by a content checker.\",\"type\":\"content_policy_violation\","
                + "\"categories\":[\"sexual\",\"violence\"]}]}").addHeader("X-Fal-Retryable", "true").build());

        assertThat(e.kind()).isEqualTo(ErrorKind.ROW);
        assertThat(e.errorCode()).isEqualTo("content_policy_violation");
        assertThat(Diagnoses.of(e, client)).contains("sexual, violence").contains("Rephrase");
    }

    @Test
    void aFlatRequestErrorFollowsXFalRetryable() {
        String body = "{\"detail\":\"Runner scheduling failure\",\"error_type\":\"runner_scheduling_failure\"}";
        ServiceException again = submitAnswered(json(503, body).addHeader("X-Fal-Retryable", "true").build());
        ServiceException not = submitAnswered(json(503, body).addHeader("X-Fal-Retryable", "false").build());
        ServiceException typed = submitAnswered(json(503, "{\"detail\":\"Runner disconnected\"}")
                .addHeader("X-Fal-Error-Type", "runner_disconnected").build());

        assertThat(again.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(again.errorCode()).isEqualTo("runner_scheduling_failure");
        assertThat(again.errorMessage()).isEqualTo("Runner scheduling failure");
        assertThat(not.kind()).isEqualTo(ErrorKind.ROW);
        assertThat(typed.errorCode()).isEqualTo("runner_disconnected");
        assertThat(typed.kind()).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void theIngressHtmlPagesAreTransientAndTheUsersOwnTimeOutIsNot() {
        ServiceException page = submitAnswered(new MockResponse.Builder().code(502).addHeader("Content-Type",
                "text/html").body("<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center>"
                        + "</body></html>").build());
        ServiceException userTimeout = submitAnswered(json(504, "{\"detail\":\"Request timed out\","
                + "\"error_type\":\"request_timeout\"}").addHeader("X-Fal-Request-Timeout-Type", "user").build());

        assertThat(page.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(page.errorMessage()).isEqualTo("502 Bad Gateway");
        assertThat(userTimeout.kind()).isEqualTo(ErrorKind.ROW);
    }

    @Test
    void throttlingIsTransientAndHonoursRetryAfterAndAForbiddenKeyStopsTheRun() {
        ServiceException throttled = submitAnswered(json(429, "{\"detail\":\"Too many requests\"}")
                .addHeader("Retry-After", "7").build());
        ServiceException forbidden = submitAnswered(json(403, "{\"detail\":\"User is locked. Reason: Exhausted "
                + "balance\"}").build());

        assertThat(throttled.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(forbidden.kind()).isEqualTo(ErrorKind.SYSTEMIC);
        assertThat(Diagnoses.of(forbidden, client)).contains("FAL_KEY").contains("Exhausted balance");
    }

    @Test
    void anUnknownModelStopsTheRunNamingTheModel() {
        ServiceException e = submitAnswered(json(404, "{\"detail\":\"Application 'nope' not found\"}").build());

        assertThat(e.kind()).isEqualTo(ErrorKind.SYSTEMIC);
        assertThat(Diagnoses.of(e, client)).contains("fal-ai/wan-25-preview/text-to-video").contains("sora.model");
    }
}
