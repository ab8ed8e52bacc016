package dev.sorabatch.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ModelInputs;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;
import mockwebserver3.MockResponse;

/** The Gemini API's error answers and failed operations, each as what it means for the run and its diagnosis. */
class GeminiErrorsTest extends GeminiApiTest {

    ServiceException create(GeminiVeoClient client, String model, int status, String body) {
        api.enqueue(json(status, body));
        return catchThrowableOfType(ServiceException.class, () -> client.create(new CreateVideoRequest("p", 0, 0, 8, 1,
                null, model, null, ModelInputs.NONE)));
    }

    static String error(int code, String status, String message, String details) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\""
                + (details == null ? "" : ",\"details\":[" + details + "]") + "}}";
    }

    @Test
    void aBadKeyIsA400WhoseReasonStopsTheRunNamingTheVariableTheKeyCameFrom() {
        GeminiVeoClient client = client("GOOGLE_API_KEY");

        ServiceException e = create(client, null, 400, GeminiReplies.API_KEY_INVALID);

        assertThat(e.kind()).isEqualTo(ErrorKind.SYSTEMIC);
        assertThat(e.errorCode()).isEqualTo("INVALID_ARGUMENT");
        assertThat(e.innerCode()).isEqualTo("API_KEY_INVALID");
        assertThat(Diagnoses.of(e, client)).contains("API_KEY_INVALID").contains("GOOGLE_API_KEY")
                .contains("aistudio.google.com/apikey").doesNotContain(KEY);
    }

    @Test
    void aQuotaAnswerWaitsWhatRetryInfoAsksAndIsRetried() {
        GeminiVeoClient client = client("GEMINI_API_KEY");

        ServiceException e = create(client, null, 429, error(429, "RESOURCE_EXHAUSTED", "You exceeded your current "
                + "quota.", "{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[]},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"41s\"}"));

        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(41));
        assertThat(Diagnoses.of(e, client)).contains("429 RESOURCE_EXHAUSTED").contains("sora.max-in-flight");
    }

    @Test
    void aRefusedParameterIsTheRowsNamingTheFieldAndItsColumn() {
        GeminiVeoClient client = client("GEMINI_API_KEY");

        ServiceException byMessage = create(client, null, 400, error(400, "INVALID_ARGUMENT", "The number value for "
                + "`durationSeconds` is out of bound. Please provide a value between 4 and 8, inclusive.", null));
        ServiceException byDetail = create(client, null, 400, error(400, "INVALID_ARGUMENT", "Invalid value.",
                "{\"@type\":\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":[{\"field\":"
                        + "\"instances[0].image.mimeType\",\"description\":\"x\"}]}"));

        assertThat(byMessage.kind()).isEqualTo(ErrorKind.ROW);
        assertThat(byMessage.innerCode()).isEqualTo("durationSeconds");
        assertThat(Diagnoses.of(byMessage, client)).contains("durationSeconds").contains("column seconds");
        assertThat(Diagnoses.of(byDetail, client)).contains("instances[0].image.mimeType").contains("column image_url");
    }

    @Test
    void aLeakedKeyAMissingOneAndAProjectWithoutBillingStopTheRun() {
        GeminiVeoClient client = client("GEMINI_API_KEY");

        ServiceException leaked = create(client, null, 403, error(403, "PERMISSION_DENIED", "Your API key was "
                + "reported as leaked. Please use another API key.", null));
        ServiceException missing = create(client, null, 403, error(403, "PERMISSION_DENIED", "Method doesn't allow "
                + "unregistered callers (callers without established identity).", null));
        ServiceException billing = create(client, null, 400, error(400, "FAILED_PRECONDITION", "User location is "
                + "not supported for the API use without a billing account linked.", null));

        assertThat(leaked.kind()).isEqualTo(ErrorKind.SYSTEMIC);
        assertThat(Diagnoses.of(leaked, client)).contains("leaked").contains("create a new one");
        assertThat(Diagnoses.of(missing, client)).contains("No API key reached").contains("GEMINI_API_KEY");
        assertThat(billing.kind()).isEqualTo(ErrorKind.SYSTEMIC);
        assertThat(Diagnoses.of(billing, client)).contains("FAILED_PRECONDITION").contains("billing");
    }

    @Test
    void aRetiredModelStopsTheRunPointingToVertexAiButARowsOwnModelFailsThatRowOnly() {
        GeminiVeoClient client = client("GEMINI_API_KEY");
        String gone = error(404, "NOT_FOUND", "models/veo-3.0-generate-001 is no longer available. Please use "
                + "veo-3.1-generate-preview instead.", null);

        ServiceException configured = create(client, null, 404, gone);
        ServiceException rowsOwn = create(client, "veo-3.0-generate-001", 404, gone);
        ServiceException unknown = create(client, null, 404, error(404, "NOT_FOUND", "models/veo-9 is not found for "
                + "API version v1beta.", null));

        assertThat(configured.kind()).isEqualTo(ErrorKind.SYSTEMIC);
        assertThat(Diagnoses.of(configured, client)).contains("no longer available on the Gemini API")
                .contains("--provider=vertex-veo").contains("veo-3.1-generate-preview in its place");
        assertThat(rowsOwn.kind()).isEqualTo(ErrorKind.ROW);
        assertThat(Diagnoses.of(unknown, client)).contains("was not found").contains("doctor --provider=gemini-veo");
    }

    @Test
    void aDoneOperationWithAnErrorFailsWithItsGrpcCodeAndAFilteredOneQuotesTheFilters() {
        GeminiVeoClient client = client("GEMINI_API_KEY");
        api.enqueue(json(200, "{\"name\":\"" + OP + "\",\"done\":true,\"error\":{\"code\":13,"
                + "\"message\":\"Video generation failed due to an internal error.\"}}"));
        api.enqueue(json(200, done("{\"raiMediaFilteredCount\":1,"
                + "\"raiMediaFilteredReasons\":[\"The input image resembles a public figure.\\nPlease use another "
                + "image.\"]}")));
        api.enqueue(json(200, done("{}")));

        VideoJob failed = client.get(OP, null);
        VideoJob filtered = client.get(OP, null);
        VideoJob empty = client.get(OP, null);

        assertThat(failed.isTerminal()).isTrue();
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.failureReason()).isEqualTo("error 13 INTERNAL: Video generation failed due to an internal "
                + "error.");
        assertThat(Diagnoses.ofFailedJob(failed, client)).contains("13 INTERNAL");
        assertThat(filtered.status()).isEqualTo("filtered");
        assertThat(Diagnoses.ofFailedJob(filtered, client)).contains("safety filters")
                .contains("The input image resembles a public figure.");
        assertThat(empty.succeeded()).isFalse();
        assertThat(Diagnoses.ofFailedJob(empty, client)).contains("neither a video");
    }

    @Test
    void aFileGoneIsTheRowsAndAStorageHostRefusingItsSignedUrlIsRetried() {
        GeminiVeoClient client = client("GEMINI_API_KEY");
        api.enqueue(json(404, error(404, "NOT_FOUND", "File zsmxt6ue9jk1 not found.", null)));
        api.enqueue(new MockResponse.Builder().code(302).addHeader("Location", storage.url("/generated/f.mp4")).build());
        storage.enqueue(new MockResponse.Builder().code(403).addHeader("Content-Type", "application/xml")
                .body("<Error><Code>ExpiredToken</Code></Error>").build());
        String uri = "https://generativelanguage.googleapis.com/v1beta/files/zsmxt6ue9jk1:download?alt=media";

        ServiceException gone = catchThrowableOfType(ServiceException.class,
                () -> client.download(uri, ContentKind.VIDEO, dir.resolve("a.mp4")));
        ServiceException expired = catchThrowableOfType(ServiceException.class,
                () -> client.download(uri, ContentKind.VIDEO, dir.resolve("b.mp4")));

        assertThat(gone.kind()).isEqualTo(ErrorKind.ROW);
        assertThat(Diagnoses.of(gone, client)).contains("2 days");
        assertThat(expired.kind()).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void aKeyEchoedByTheServiceNeverShowsInTheError() {
        GeminiVeoClient client = client("GEMINI_API_KEY");

        ServiceException e = create(client, null, 400, error(400, "INVALID_ARGUMENT", "Bad key " + KEY, null));

        assertThat(e.getMessage()).doesNotContain(KEY);
        assertThat(e.bodyExcerpt()).doesNotContain(KEY);
        assertThat(Diagnoses.of(e, client)).doesNotContain(KEY);
    }
}
