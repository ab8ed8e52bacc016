package dev.sorabatch.provider.vertex;

import java.nio.file.Path;
import java.util.List;

import dev.sorabatch.simulator.Simulator;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.Wire;

/**
 * The simulated Google Cloud project with Veo on Vertex AI, on three loopback listeners as Google is on three
 * hosts: the regional Vertex API ({@link #apiUrl()}, {@code us-central1-aiplatform.googleapis.com/v1}), the OAuth
 * token endpoint ({@code oauth2.googleapis.com/token}) and the Cloud Storage JSON API ({@link #storageUrl()},
 * {@code storage.googleapis.com}). It writes a service-account key file ({@link #credentialsFile()}) with a fresh
 * RSA key, its {@code token_uri} the simulated endpoint, so that Google's own library runs its service-account
 * flow against it; both APIs honour only the tokens that endpoint granted, for as long as they last.
 */
public class VertexSimulator extends Simulator {

    /** The project simulated when none is configured. */
    public static final String DEFAULT_PROJECT = "sora-sim-project";

    private final String project;
    private final byte[] video = Wire.resource("simulator/sample.mp4");
    private final VertexOperationAnswers operations = new VertexOperationAnswers(video);
    private final VertexTokenEndpoint tokens = new VertexTokenEndpoint(this);
    private volatile String storageBase;
    private volatile VertexServiceAccount account;

    /** @param project the project the service account belongs to (null: {@link #DEFAULT_PROJECT}) */
    public VertexSimulator(SimulatorSettings settings, String project) {
        super(settings, "no key: Google answers bearer tokens");
        this.project = project == null || project.isBlank() ? DEFAULT_PROJECT : project.strip();
        speak(new VertexApiDialect(this, operations));
    }

    @Override
    public VertexSimulator start() {
        super.start();
        return this;
    }

    @Override
    public VertexSimulator start(int port) {
        super.start(port);
        String tokenBase = listen(tokens);
        account = VertexServiceAccount.create(project, tokenBase + "/token");
        tokens.trust(account);
        storageBase = listen(pipeline(List.of(new VertexStorageDialect(this, operations))));
        return this;
    }

    /** The API root, as {@code sora.vertex.base-url} takes it. */
    public String apiUrl() {
        return baseUrl() + "/v1";
    }

    /** The Cloud Storage JSON API's root, as {@code sora.vertex.storage-url} takes it. */
    public String storageUrl() {
        return storageBase;
    }

    /** The service-account key file, as {@code GOOGLE_APPLICATION_CREDENTIALS} (or sora.vertex.credentials-file) names it. */
    public Path credentialsFile() {
        return account.file();
    }

    public String project() {
        return project;
    }

    public String serviceAccountEmail() {
        return account.email();
    }

    /** Every token granted so far stops being honoured: the next call with one gets 401. */
    public void expireTokens() {
        tokens.expireAll();
    }

    /** What a create sent of its image (mime type, size, SHA-256), by prompt, or null for a text row. */
    public tools.jackson.databind.JsonNode imageSent(String prompt) {
        return jobs().of(VertexApiDialect.DIALECT).stream().filter(j -> j.prompt.equals(prompt))
                .map(j -> j.request.path("image")).filter(tools.jackson.databind.JsonNode::isObject).findFirst()
                .orElse(null);
    }

    /** The parameters a create sent, by prompt. */
    public tools.jackson.databind.JsonNode parametersSent(String prompt) {
        return jobs().of(VertexApiDialect.DIALECT).stream().filter(j -> j.prompt.equals(prompt))
                .map(j -> j.request.path("parameters")).findFirst().orElse(null);
    }

    VertexTokenEndpoint tokens() {
        return tokens;
    }

    byte[] video() {
        return video;
    }

    @Override
    public void close() {
        super.close();
        if (account != null) {
            account.delete();
        }
    }
}
