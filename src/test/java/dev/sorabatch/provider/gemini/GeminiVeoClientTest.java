package dev.sorabatch.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ModelInputs;
import dev.sorabatch.service.ReferenceImage;
import dev.sorabatch.service.VideoJob;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * The Gemini API Veo client against a server playing {@code generativelanguage.googleapis.com/v1beta} and another
 * playing the storage host its downloads redirect to: requests as Google's SDK sends them (shared/providers-api.md
 * §1.3–1.5), the key to the API only.
 */
class GeminiVeoClientTest extends GeminiApiTest {

    static CreateVideoRequest request(String prompt, int seconds, int variants, ReferenceImage image,
            ModelInputs inputs, String model) {
        return new CreateVideoRequest(prompt, 0, 0, seconds, variants, image, model, null, inputs);
    }

    @Test
    void createPostsPredictLongRunningWithTheBodyGooglesSdkBuildsAndTheKeyInItsHeader() throws Exception {
        api.enqueue(json(200, "{\"name\":\"" + OP + "\"}"));
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3 };
        Map<String, String> params = new LinkedHashMap<>();
        params.put("person_generation", "allow_adult");
        params.put("enhancePrompt", "true");
        ModelInputs inputs = new ModelInputs("9:16", "1080p", "blurry", null, params, false);

        VideoJob job = client("GEMINI_API_KEY").create(request("A fox", 6, 2,
                new ReferenceImage("fox.png", "image/png", png), inputs, null));

        assertThat(job.id()).isEqualTo(OP);
        assertThat(job.isTerminal()).isFalse();
        RecordedRequest create = api.takeRequest();
        assertThat(create.getMethod()).isEqualTo("POST");
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1beta/models/" + MODEL + ":predictLongRunning");
        assertThat(create.getUrl().query()).isNull();
        assertThat(create.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
        assertThat(create.getHeaders().get("Authorization")).isNull();
        assertThat(create.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(create.getBody().utf8()).isEqualTo("{\"instances\":[{\"prompt\":\"A fox\",\"image\":"
                + "{\"bytesBase64Encoded\":\"" + Base64.getEncoder().encodeToString(png) + "\",\"mimeType\":\"image/png\"}}],"
                + "\"parameters\":{\"sampleCount\":2,\"durationSeconds\":6,\"aspectRatio\":\"9:16\",\"resolution\":\"1080p\","
                + "\"negativePrompt\":\"blurry\",\"personGeneration\":\"allow_adult\",\"enhancePrompt\":true}}");
    }

    @Test
    void aRowLeavingTheDurationToTheModelSendsNoneAndAModelsPrefixIsTakenAsGoogleWritesIt() throws Exception {
        api.enqueue(json(200, "{\"name\":\"models/veo-3.1-generate-preview/operations/abc\"}"));

        client("GEMINI_API_KEY").create(request("A lake", 8, 1, null, new ModelInputs(null, null, null, null, Map.of(), true),
                "models/veo-3.1-generate-preview"));

        RecordedRequest create = api.takeRequest();
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1beta/models/veo-3.1-generate-preview:predictLongRunning");
        assertThat(create.getBody().utf8()).isEqualTo("{\"instances\":[{\"prompt\":\"A lake\"}],"
                + "\"parameters\":{\"sampleCount\":1}}");
    }

    @Test
    void pollsGetTheOperationByItsNameUntilDoneAMissingDoneMeaningNotDone() throws Exception {
        api.enqueue(json(200, "{\"name\":\"" + OP + "\"}"));
        api.enqueue(json(200, "{\"name\":\"" + OP + "\",\"done\":false}"));
        api.enqueue(json(200, done("{\"generatedSamples\":[{\"video\":{\"uri\":\"https://generativelanguage.googleapis"
                + ".com/v1beta/files/zsmxt6ue9jk1:download?alt=media\"}},{\"video\":{\"uri\":\"https://generativelanguage"
                + ".googleapis.com/v1beta/files/q2w3e4r5t6y7:download?alt=media\"}}]}")));
        GeminiVeoClient client = client("GEMINI_API_KEY");

        VideoJob first = client.get(OP, null);
        VideoJob second = client.get(OP, null);
        VideoJob last = client.get(OP, null);

        assertThat(first.isTerminal()).isFalse();
        assertThat(second.isTerminal()).isFalse();
        assertThat(last.succeeded()).isTrue();
        assertThat(last.generationIds()).containsExactly(
                "https://generativelanguage.googleapis.com/v1beta/files/zsmxt6ue9jk1:download?alt=media",
                "https://generativelanguage.googleapis.com/v1beta/files/q2w3e4r5t6y7:download?alt=media");
        RecordedRequest poll = api.takeRequest();
        assertThat(poll.getMethod()).isEqualTo("GET");
        assertThat(poll.getUrl().encodedPath()).isEqualTo("/v1beta/" + OP);
        assertThat(poll.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    }

    @Test
    void aVideoIsDownloadedWithTheKeyFromTheApiAndItsRedirectFollowedWithoutTheKey() throws Exception {
        byte[] mp4 = new byte[200_000];
        new java.util.Random(3).nextBytes(mp4);
        api.enqueue(new MockResponse.Builder().code(302).addHeader("Location",
                storage.url("/generated/zsmxt6ue9jk1.mp4?Expires=1&Signature=s")).build());
        storage.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "video/mp4")
                .body(new okio.Buffer().write(mp4)).build());
        Path target = dir.resolve("v.mp4");

        long written = client("GEMINI_API_KEY").download("https://generativelanguage.googleapis.com/v1beta/files/zsmxt6ue9jk1:download"
                + "?alt=media", ContentKind.VIDEO, target);

        assertThat(written).isEqualTo(mp4.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(mp4);
        RecordedRequest file = api.takeRequest();
        assertThat(file.getUrl().encodedPath()).isEqualTo("/v1beta/files/zsmxt6ue9jk1:download");
        assertThat(file.getUrl().queryParameter("alt")).isEqualTo("media");
        assertThat(file.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
        RecordedRequest redirected = storage.takeRequest();
        assertThat(redirected.getUrl().encodedPath()).isEqualTo("/generated/zsmxt6ue9jk1.mp4");
        assertThat(redirected.getHeaders().get("x-goog-api-key")).as("the key went to the storage host").isNull();
        assertThat(redirected.getUrl().queryParameter("key")).isNull();
        assertThat(redirected.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void anInlineVideoIsDecodedFromTheOperationAsItStreamsIntoTheFile() throws Exception {
        byte[] mp4 = new byte[1024 * 1024 + 5];
        new java.util.Random(11).nextBytes(mp4);
        String operation = done("{\"generatedSamples\":[{\"video\":{\"encodedVideo\":\""
                + Base64.getEncoder().encodeToString(mp4) + "\",\"encoding\":\"video/mp4\"}}]}");
        api.enqueue(json(200, operation));
        api.enqueue(json(200, operation));
        GeminiVeoClient client = client("GEMINI_API_KEY");

        VideoJob job = client.get(OP, null);
        long written = client.download(job.generationIds().get(0), ContentKind.VIDEO, dir.resolve("inline.mp4"));

        assertThat(job.generationIds()).containsExactly(OP + "#0");
        assertThat(written).isEqualTo(mp4.length);
        assertThat(Files.readAllBytes(dir.resolve("inline.mp4"))).isEqualTo(mp4);
    }

    @Test
    void anOperationNameThatIsNotOneIsNeverPutInAPath() throws Exception {
        api.enqueue(json(200, "{\"name\":\"models/../../elsewhere/operations/x\"}"));
        GeminiVeoClient client = client("GEMINI_API_KEY");

        assertThatThrownBy(() -> client.create(request("x", 8, 1, null, ModelInputs.NONE, null)))
                .isInstanceOfSatisfying(dev.sorabatch.service.ServiceException.class,
                        e -> assertThat(e.isTransient()).as("the create may have landed: the orphan check decides")
                                .isTrue());
        assertThatThrownBy(() -> client.get("models/veo/operations/../../files/x", null))
                .hasMessageContaining("is not a Gemini API operation name");
        assertThat(api.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theFreeModelCheckGetsTheModelWithTheKey() throws Exception {
        api.enqueue(json(200, "{\"name\":\"models/" + MODEL + "\",\"displayName\":\"Veo 3.1 fast\"}"));

        assertThat(client("GEMINI_API_KEY").checkModel()).isEqualTo("Veo 3.1 fast");

        RecordedRequest get = api.takeRequest();
        assertThat(get.getMethod()).isEqualTo("GET");
        assertThat(get.getUrl().encodedPath()).isEqualTo("/v1beta/models/" + MODEL);
        assertThat(get.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    }

    @Test
    void aWebpImageIsRefusedBeforeAnythingIsSentAndNoOperationCanBeListed() {
        GeminiVeoClient client = client("GEMINI_API_KEY");

        assertThatThrownBy(() -> client.create(request("x", 8, 1, new ReferenceImage("a.webp", "image/webp",
                new byte[] { 1 }), ModelInputs.NONE, null))).hasMessageContaining("JPEG or PNG");
        assertThatThrownBy(() -> client.list(10)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(client.traits().listsJobs()).isFalse();
        assertThat(api.getRequestCount()).isZero();
    }
}
