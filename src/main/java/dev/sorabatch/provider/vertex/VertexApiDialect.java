package dev.sorabatch.provider.vertex;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.SimulatorDialect;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator speaking Vertex AI's Veo (shared/providers-api.md §2): {@code POST /v1/projects/{p}/locations/{l}/
 * publishers/google/models/{model}:predictLongRunning} answers the operation's name, and
 * {@code …:fetchPredictOperation {"operationName"}} the operation. Before any fault or quota, as Google checks them:
 * the bearer token (401 {@code UNAUTHENTICATED}), the API enabled in the project (403 {@code SERVICE_DISABLED}),
 * the account's role in the project (403 {@code IAM_PERMISSION_DENIED}; any project but the service account's is
 * one it has no role in), the model (404, "no longer available" for a retired one, naming its replacement). A
 * prompt with a blocked word is filtered ({@code raiMediaFilteredReasons}); {@code [rai-image]} filters an
 * image row for its image; {@code [fail]} ends with error 13; {@code personGeneration: allow_all} with error 3;
 * {@code [lost-answer]} loses the answer to the first create of that prompt (the operation is made all the same).
 */
final class VertexApiDialect implements SimulatorDialect {

    static final String DIALECT = "vertex";
    private static final Pattern PATH = Pattern.compile("/(v1|v1beta1)/projects/([^/]+)/locations/([^/]+)"
            + "/publishers/google/models/([^/:]+):([A-Za-z]+)");
    static final Set<String> MODELS = Set.of("veo-3.1-generate-001", "veo-3.1-fast-generate-001",
            "veo-3.1-lite-generate-001", "veo-3.1-generate-preview", "veo-3.1-fast-generate-preview");
    /** Retired on 2026-06-30 (§0), each with the model Google names instead. */
    static final Map<String, String> RETIRED = Map.of("veo-3.0-generate-001", "veo-3.1-generate-001",
            "veo-3.0-fast-generate-001", "veo-3.1-fast-generate-001", "veo-3.0-generate-preview",
            "veo-3.1-generate-001", "veo-2.0-generate-001", "veo-3.1-generate-001");
    private static final String METHOD = "google.cloud.aiplatform.v1.PredictionService.";

    /** One call's place: project, location, model and method. */
    private record Target(String project, String location, String model, String method) {
        String resource() {
            return "projects/" + project + "/locations/" + location + "/publishers/google/models/" + model;
        }
    }

    private final VertexSimulator simulator;
    private final VertexOperationAnswers operations;

    VertexApiDialect(VertexSimulator simulator, VertexOperationAnswers operations) {
        this.simulator = simulator;
        this.operations = operations;
    }

    @Override
    public boolean serves(LoopbackHttpServer.Request request) {
        return true;
    }

    /** The bearer token is checked here, against the tokens the token endpoint granted, not as a fixed key. */
    @Override
    public boolean needsKey() {
        return false;
    }

    @Override
    public String presentedKey(LoopbackHttpServer.Request request) {
        return request.header("Authorization");
    }

    @Override
    public LoopbackHttpServer.Reply unauthorized(LoopbackHttpServer.Request request) {
        return VertexReplies.unauthenticated(VertexTokenEndpoint.Check.MISSING, METHOD + "PredictLongRunning");
    }

    @Override
    public LoopbackHttpServer.Reply misdirected(LoopbackHttpServer.Request request, Map<String, String> query) {
        Target target = target(request);
        if (target == null || !request.method().equals("POST")) {
            simulator.count("not-found");
            return VertexReplies.error(404, "NOT_FOUND", "The requested URL " + request.path() + " was not found on "
                    + "this server.", null);
        }
        String method = METHOD + (target.method().equals("predictLongRunning") ? "PredictLongRunning"
                : "FetchPredictOperation");
        VertexTokenEndpoint.Check token = simulator.tokens().check(request.header("Authorization"));
        if (token != VertexTokenEndpoint.Check.VALID) {
            simulator.count("unauthorized");
            return VertexReplies.unauthenticated(token, method);
        }
        SimulatorSettings.Google google = simulator.settings().getGoogle();
        if (google.isApiDisabled()) {
            simulator.count("forbidden");
            tools.jackson.databind.node.ArrayNode details = VertexReplies.errorInfo("SERVICE_DISABLED", method);
            ((ObjectNode) details.get(0).get("metadata")).put("consumer", "projects/" + target.project());
            return VertexReplies.error(403, "PERMISSION_DENIED", "Vertex AI API has not been used in project "
                    + target.project() + " before or it is disabled. Enable it by visiting https://console.developers."
                    + "google.com/apis/api/aiplatform.googleapis.com/overview?project=" + target.project() + " then "
                    + "retry. If you enabled this API recently, wait a few minutes for the action to propagate to our "
                    + "systems and retry.", details);
        }
        if (google.isRoleMissing() || !target.project().equals(simulator.project())) {
            simulator.count("forbidden");
            return VertexReplies.error(403, "PERMISSION_DENIED", "Permission 'aiplatform.endpoints.predict' denied "
                    + "on resource '//aiplatform.googleapis.com/" + target.resource() + "' (or it may not exist).",
                    VertexReplies.errorInfo("IAM_PERMISSION_DENIED", method));
        }
        if (RETIRED.containsKey(target.model()) || !MODELS.contains(target.model())) {
            simulator.count("not-found");
            String replacement = RETIRED.get(target.model());
            return VertexReplies.error(404, "NOT_FOUND", "Publisher Model `" + target.resource() + "` "
                    + (replacement != null ? "is no longer available. Please migrate to " + replacement + "."
                    : "was not found or your project does not have access to it. Please ensure you are using a valid "
                            + "model version."), null);
        }
        return null;
    }

    @Override
    public LoopbackHttpServer.Reply fault(Fault fault, Integer retryAfterSeconds) {
        return VertexReplies.fault(fault, retryAfterSeconds, "veo-3.1-generate");
    }

    @Override
    public LoopbackHttpServer.Reply answer(LoopbackHttpServer.Request request, Map<String, String> query) {
        Target target = target(request);
        JsonNode body = Wire.parseOrNull(request.body());
        return switch (target.method()) {
            case "predictLongRunning" -> create(target, body);
            case "fetchPredictOperation" -> fetch(target, body);
            default -> {
                simulator.count("not-found");
                yield VertexReplies.error(404, "NOT_FOUND", "Method " + target.method() + " is not found.", null);
            }
        };
    }

    private LoopbackHttpServer.Reply create(Target target, JsonNode body) {
        simulator.count("create");
        LoopbackHttpServer.Reply refused = VertexRequestCheck.refusal(body, target.model());
        if (refused != null) {
            simulator.count("rejected");
            return refused;
        }
        JsonNode instance = body.path("instances").get(0);
        JsonNode p = body.path("parameters");
        String prompt = instance.path("prompt").asString("");
        boolean image = instance.path("image").isObject();
        boolean imageFiltered = image && prompt.toLowerCase(java.util.Locale.ROOT).contains("[rai-image]");
        SimulatedJob.Outcome outcome = imageFiltered ? SimulatedJob.Outcome.FAIL_MODERATION
                : "allow_all".equals(p.path("personGeneration").asString(null)) ? SimulatedJob.Outcome.FAIL_INVALID
                : simulator.faults().outcomeFor(prompt);
        ObjectNode kept = Wire.JSON.createObjectNode();
        kept.put("project", target.project()).put("location", target.location());
        kept.put("storageUri", p.path("storageUri").asString(null));
        // the folder Veo writes an operation's samples into, under the storageUri: a long number, as Veo's are
        kept.put("folder", System.currentTimeMillis() + String.format("%06d", ThreadLocalRandom.current()
                .nextInt(1_000_000)));
        kept.put("filtered", imageFiltered ? "image" : "prompt");
        if (image) {
            // what was sent, not the bytes themselves: the state file stays small
            byte[] bytes = Base64.getDecoder().decode(instance.path("image").path("bytesBase64Encoded").asString(""));
            kept.putObject("image").put("mimeType", instance.path("image").path("mimeType").asString())
                    .put("bytes", bytes.length).put("sha256", sha256(bytes));
        }
        kept.set("parameters", p.isObject() ? p : Wire.JSON.createObjectNode());
        int seconds = p.path("durationSeconds").asInt(VertexRowRules.DEFAULT_SECONDS);
        int samples = p.path("sampleCount").asInt(1);
        SimulatedJob job = simulator.jobs().enqueue(now -> new SimulatedJob(UUID.randomUUID().toString(), prompt,
                target.model(), 0, 0, seconds, samples, image ? "inline-image" : null, now,
                simulator.settings().getJobDuration().toMillis(), outcome, List.of(), DIALECT, kept));
        boolean firstOfPrompt = simulator.jobs().of(DIALECT).stream().filter(j -> j.prompt.equals(prompt)).count() == 1;
        if (prompt.toLowerCase(java.util.Locale.ROOT).contains("[lost-answer]") && firstOfPrompt) {
            simulator.count("lost-create-response");
            return dev.sorabatch.simulator.Faults.dropped(); // made, and the connection drops before the answer
        }
        LoopbackHttpServer.Reply lost = simulator.faults().lostCreateAnswer(this);
        if (lost != null) {
            return lost;
        }
        return VertexReplies.json(200, Wire.JSON.createObjectNode().put("name", VertexOperationAnswers.name(job)));
    }

    private LoopbackHttpServer.Reply fetch(Target target, JsonNode body) {
        simulator.count("poll");
        String name = body == null ? null : body.path("operationName").asString(null);
        if (name == null) {
            return VertexReplies.invalid("operationName", "Invalid JSON payload received. operationName is required.");
        }
        long now = System.currentTimeMillis();
        simulator.jobs().startWaitingJobs(now);
        int at = name.lastIndexOf("/operations/");
        SimulatedJob job = at < 0 ? null : simulator.jobs().live(name.substring(at + "/operations/".length()));
        if (job == null || !job.dialect.equals(DIALECT) || !name.substring(0, at).equals(target.resource())) {
            simulator.count("not-found");
            return VertexReplies.error(404, "NOT_FOUND", "Operation " + name + " not found.", null);
        }
        return VertexReplies.json(200, operations.answer(job, now));
    }

    private static Target target(LoopbackHttpServer.Request request) {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) {
            return null;
        }
        return new Target(decode(m.group(2)), decode(m.group(3)), decode(m.group(4)), m.group(5));
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
