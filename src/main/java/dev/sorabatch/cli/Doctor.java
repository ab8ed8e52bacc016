package dev.sorabatch.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sorabatch.config.ServiceChoice;
import dev.sorabatch.config.SoraProperties;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.provider.azure.AzureEndpoint;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.service.Provider;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.job.ServiceConnection;
import okhttp3.HttpUrl;

/**
 * {@code doctor}: the troubleshooting guide's checklist, done by the tool. One line per check, OK or the cause and
 * the fix; exit 0 only when a real run would start. Secrets are named, never shown.
 */
final class Doctor {

    private final SoraProperties properties;
    private final SoraConnectionFactory connections;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

    Doctor(SoraProperties properties, SoraConnectionFactory connections, PrintStream out) {
        this.properties = properties;
        this.connections = connections;
        this.out = out;
    }

    /** Checks the configured service, or the given simulated one. */
    int check(ServiceConnection simulated) {
        ServiceConnection sora = simulated;
        if (sora == null) {
            properties.dotenv().describedProblems().forEach(this::warn);
            if (nothingConfigured()) {
                line(false, "", Messages.get("doctor.nothing-configured"));
                return finish();
            }
            Provider provider = connections.choice().provider();
            sora = provider == Provider.OPENAI_VIDEOS ? videosService()
                    : provider == Provider.FAL ? falService()
                    : provider == Provider.GEMINI_VEO ? new GeminiDoctor(this, properties, connections).service()
                    : provider == Provider.VERTEX_VEO ? vertexService() : azureService();
            if (sora == null) {
                return finish();
            }
        }
        String deployment = sora.client().deployment();
        if (sora.client().provider() == Provider.FAL) {
            return falKeyAndModel(sora);
        }
        if (sora.client().provider() == Provider.VERTEX_VEO) {
            return vertexTokenAndModel(sora);
        }
        if (sora.client().provider() == Provider.GEMINI_VEO) {
            new GeminiDoctor(this, properties, connections).keyAndModel(sora);
            return finish();
        }
        boolean videosApi = sora.client().provider() == Provider.OPENAI_VIDEOS;
        try {
            long started = System.nanoTime();
            var jobs = sora.client().list(20);
            long running = jobs.stream().filter(j -> !j.isTerminal()).count();
            line(true, Messages.get(videosApi ? "doctor.key-ok.videos" : "doctor.key-ok",
                    (System.nanoTime() - started) / 1_000_000, jobs.size(), running), "");
            if (running >= properties.maxInFlight()) {
                warn(Messages.get("doctor.busy", running));
            }
        } catch (ServiceException e) {
            line(false, "", Messages.get(videosApi ? "doctor.list-failed.videos" : "doctor.list-failed",
                    Diagnoses.of(e, sora.client())));
            return finish();
        }
        if (videosApi) {
            // No request there is refused for free before the model is looked up; the first create will tell.
            warn(Messages.get("doctor.model-unchecked", deployment));
            return finish();
        }
        try {
            // A request the service must refuse (an impossible size): it names the deployment, costs nothing.
            sora.client().create(new CreateVideoRequest("sora-batch doctor: deployment check", 1, 1, 1, 1, null));
            warn(Messages.get("doctor.accepted-1x1", deployment));
        } catch (ServiceException e) {
            if (e.httpStatus() == 400 || e.httpStatus() == 422) {
                line(true, Messages.get("doctor.deployment-ok", deployment), "");
            } else {
                line(false, "", Messages.get("doctor.deployment-fail", deployment, Diagnoses.of(e, sora.client())));
            }
        }
        return finish();
    }

    /** No endpoint, key or Videos API variable at all: name every service's variables rather than Azure's only. */
    private boolean nothingConfigured() {
        return blank(properties.endpoint()) && blank(properties.apiKey()) && properties.endpoints().isEmpty()
                && (properties.openai() == null || blank(properties.openai().baseUrl()) && blank(properties.openai().apiKey()))
                && connections.choice().provider() != Provider.FAL
                && connections.choice().provider() != Provider.VERTEX_VEO
                && connections.choice().provider() != Provider.GEMINI_VEO;
    }

    /**
     * fal: the key by the one free call there is (the request list, one item), then the model, which no free call
     * checks.
     */
    private int falKeyAndModel(ServiceConnection fal) {
        try {
            long started = System.nanoTime();
            fal.client().list(1);
            line(true, Messages.get("doctor.key-ok.fal", (System.nanoTime() - started) / 1_000_000), "");
        } catch (ServiceException e) {
            line(false, "", Messages.get("doctor.list-failed.fal", Diagnoses.of(e, fal.client())));
            return finish();
        }
        warn(Messages.get("doctor.fal-model-unchecked", fal.client().deployment()));
        return finish();
    }

    /**
     * Vertex: the project, location, API root and model named; whether Application Default Credentials were found
     * (their kind, never a token); DNS of the API; then the connection.
     */
    private ServiceConnection vertexService() {
        SoraProperties.Vertex vertex = properties.vertex();
        ServiceChoice choice = connections.choice();
        line(!blank(vertex.project()), Messages.get("doctor.vertex-endpoint", vertex.project(), vertex.location(),
                choice.endpoint(), choice.model()), Messages.get("config.vertex-no-project"));
        try {
            var credentials = connections.googleCredentials();
            line(true, Messages.get("doctor.vertex-adc", credentials.getClass().getSimpleName(),
                    credentials.getQuotaProjectId() == null ? "-" : credentials.getQuotaProjectId()), "");
        } catch (UsageException e) {
            line(false, "", e.getMessage());
            return null;
        }
        HttpUrl base = HttpUrl.parse(choice.endpoint());
        return !blank(vertex.project()) && base != null && reachable(base, "sora.vertex.base-url") ? connect() : null;
    }

    /**
     * Vertex has no free call that checks a model; asking for an operation that does not exist is free and checks
     * the token, the API and the role (401/403), but not the model: the first create does.
     */
    private int vertexTokenAndModel(ServiceConnection vertex) {
        var client = (dev.sorabatch.provider.vertex.VertexVeoClient) vertex.client();
        String probe = "projects/" + client.project() + "/locations/" + client.location()
                + "/publishers/google/models/" + client.deployment() + "/operations/0";
        try {
            vertex.client().get(probe, null);
            line(true, Messages.get("doctor.vertex-token-ok"), "");
        } catch (ServiceException e) {
            boolean refused = e.httpStatus() == 401 || e.httpStatus() == 403 || e.httpStatus() == 0;
            line(!refused, Messages.get("doctor.vertex-token-ok"), Messages.get("doctor.vertex-token-fail",
                    Diagnoses.of(e, vertex.client())));
            if (refused) {
                return finish();
            }
        }
        warn(Messages.get("doctor.vertex-model-unchecked", vertex.client().deployment()));
        return finish();
    }

    /** fal: the queue and request list, the key variable (named, never shown), DNS of the queue; then the connection. */
    private ServiceConnection falService() {
        ServiceChoice choice = connections.choice();
        boolean keySet = !blank(choice.apiKey());
        line(true, Messages.get("doctor.fal-endpoint", choice.endpoint(), properties.fal().apiUrl(), choice.model()),
                "");
        line(keySet, Messages.get("doctor.variable-set", choice.keyVariable()), Messages.get("doctor.fal-key-missing"));
        HttpUrl queue = HttpUrl.parse(choice.endpoint() == null ? "" : choice.endpoint().strip());
        if (queue == null) {
            line(false, "", Messages.get("config.fal-not-url", "FAL_QUEUE_URL", choice.endpoint(),
                    dev.sorabatch.provider.fal.FalQueueClient.DEFAULT_QUEUE_URL));
            return null;
        }
        if (!keySet || !reachable(queue, "FAL_QUEUE_URL")) {
            return null;
        }
        connects(queue);
        return connect();
    }

    /**
     * Whether the queue's port accepts a connection (no request is sent, so no key): the request list checked next
     * is on another host. A warning only, since a proxy may be the way there.
     */
    private void connects(HttpUrl url) {
        long started = System.nanoTime();
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(url.host(), url.port()), 5_000);
            line(true, Messages.get("doctor.connect-ok", url.host(), url.port(),
                    (System.nanoTime() - started) / 1_000_000), "");
        } catch (java.io.IOException e) {
            warn(Messages.get("doctor.connect-fail", url.host(), url.port(), e.getMessage(), "FAL_QUEUE_URL"));
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** Azure Sora 1: the two variables, the endpoint's shape, DNS; then the connection (null if a check failed). */
    private ServiceConnection azureService() {
        boolean endpointSet = properties.endpoint() != null && !properties.endpoint().isBlank();
        boolean keySet = properties.apiKey() != null && !properties.apiKey().isBlank();
        line(endpointSet, Messages.get("doctor.endpoint-set"), Messages.get("doctor.endpoint-missing"));
        line(keySet, Messages.get("doctor.key-set"), Messages.get("doctor.key-missing"));
        if (!endpointSet || !keySet) {
            return null;
        }
        AzureEndpoint endpoint;
        try {
            endpoint = AzureEndpoint.parse(properties.endpoint());
        } catch (IllegalArgumentException e) {
            line(false, "", e.getMessage());
            return null;
        }
        line(true, Messages.get("doctor.endpoint", endpoint.describe(), endpoint.apiVersion()), "");
        String host = endpoint.base().host();
        if (!host.toLowerCase(Locale.ROOT).endsWith(".openai.azure.com")
                && !host.toLowerCase(Locale.ROOT).endsWith(".cognitiveservices.azure.com")
                && !host.equals("127.0.0.1") && !host.equals("localhost")) {
            warn(Messages.get("doctor.not-azure-host", host));
        }
        return reachable(endpoint.base(), "AZURE_SORA_ENDPOINT") ? connect() : null;
    }

    /** The Videos API: which root and key variable were chosen, the key present, DNS; then the connection. */
    private ServiceConnection videosService() {
        ServiceChoice choice = connections.choice();
        boolean keySet = choice.apiKey() != null && !choice.apiKey().isBlank();
        line(true, Messages.get("doctor.videos-endpoint", choice.endpoint(), choice.model()), "");
        line(keySet, Messages.get("doctor.variable-set", choice.keyVariable()),
                Messages.get("doctor.videos-key-missing", choice.keyVariable()));
        HttpUrl base = HttpUrl.parse(choice.endpoint());
        if (base == null) {
            line(false, "", Messages.get("config.videos-not-url", choice.endpoint()));
            return null;
        }
        return keySet && reachable(base, "OPENAI_BASE_URL") ? connect() : null;
    }

    boolean reachable(HttpUrl base, String variable) {
        if (!base.isHttps()) {
            warn(Messages.get("doctor.http"));
        }
        String host = base.host();
        try {
            InetAddress address = InetAddress.getByName(host);
            line(true, Messages.get("doctor.dns-ok", host, address.getHostAddress()), "");
            return true;
        } catch (UnknownHostException e) {
            line(false, "", Messages.get("doctor.dns-fail", host, variable));
            return false;
        }
    }

    ServiceConnection connect() {
        try {
            return connections.forService();
        } catch (UsageException e) {
            line(false, "", e.getMessage());
            return null;
        }
    }

    void line(boolean ok, String okText, String failText) {
        if (ok) {
            out.println("  OK    " + okText);
        } else {
            out.println("  FAIL  " + failText);
            failures.add(failText);
        }
    }

    void warn(String text) {
        out.println("  WARN  " + text);
    }

    private int finish() {
        if (failures.isEmpty()) {
            out.println(Messages.get("doctor.ready"));
            return ExitCodes.ALL_SUCCEEDED;
        }
        out.println(Messages.get("doctor.not-ready", failures.size()));
        return ExitCodes.USAGE;
    }
}
