package dev.sorabatch.provider.vertex;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceDiagnoses;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;

/**
 * Vertex's cause-and-fix table in its words: Application Default Credentials, the project's API and IAM role, the
 * model ids of the location, the safety filters' reasons quoted, a done operation's gRPC code.
 */
final class VertexDiagnoses implements ServiceDiagnoses {

    static final VertexDiagnoses INSTANCE = new VertexDiagnoses();
    /** "… use gemini-omni-1.1-flash instead", "replacement: veo-3.1-generate-001", "migrate to `x`". */
    /** The model Google's message names ({@code models/veo-3.0-generate-001}): the row's, not the default. */
    private static final Pattern NAMED_MODEL = Pattern.compile("models/([a-z][a-z0-9.\\-]*[a-z0-9])");
    private static final Pattern REPLACEMENT = Pattern.compile("(?i)(?:\\buse|migrate to|replaced by|replacement"
            + "(?: model)?(?: is)?:?)\\s+[`'\"]?([a-z][a-z0-9.\\-]*[a-z0-9])");

    /** Google's token endpoint refusing the grant, as the library quotes its answer: the description it gave. */
    private static final Pattern INVALID_GRANT = Pattern.compile("invalid_grant\"?,?\\s*(?:\"error_description\"\\s*:\\s*)?"
            + "\"?([^\"}]*)");

    private VertexDiagnoses() {
    }

    @Override
    public String endpointSetting() {
        return "sora.vertex.base-url";
    }

    @Override
    public String ofAnswer(ServiceException e, String defaultModel) {
        String said = Diagnoses.received(e);
        String msg = e.errorMessage() == null ? "" : e.errorMessage();
        Matcher named = NAMED_MODEL.matcher(msg);
        String model = named.find() ? named.group(1) : defaultModel;
        String lower = msg.toLowerCase(Locale.ROOT);
        int status = e.httpStatus();
        if ("no_token".equals(e.errorCode())) {
            Matcher grant = INVALID_GRANT.matcher(msg);
            return grant.find() ? Messages.get("diag.vertex.invalid-grant", grant.group(1).strip())
                    : Messages.get("diag.vertex.no-token", msg);
        }
        if (status == 0) {
            return Messages.get("diag.vertex.other", said);
        }
        if (status == 401) {
            return Messages.get("diag.vertex.401");
        }
        if (status == 403 && e.operation().equals(Operation.DOWNLOAD_VIDEO.label())) {
            return Messages.get("diag.vertex.403-storage", msg);
        }
        if (status == 403) {
            String inner = e.innerCode() == null ? "" : e.innerCode();
            if (inner.equals("SERVICE_DISABLED") || lower.contains("has not been used") || lower.contains("disabled")
                    || lower.contains("not enabled")) {
                return Messages.get("diag.vertex.403-api", msg);
            }
            if (inner.startsWith("IAM") || lower.contains("aiplatform.") || lower.contains("permission")) {
                return Messages.get("diag.vertex.403-role", msg);
            }
            return Messages.get("diag.vertex.403", msg);
        }
        if (status == 404 && e.operation().equals(Operation.CREATE.label())) {
            if (lower.contains("no longer available") || lower.contains("retired") || lower.contains("shut down")) {
                Matcher m = REPLACEMENT.matcher(msg);
                String replacement = m.find() ? Messages.get("diag.vertex.replacement", m.group(1)) : "";
                return Messages.get("diag.vertex.retired", model, replacement, msg);
            }
            return Messages.get("diag.vertex.no-model", model, msg);
        }
        if (status == 404 && e.operation().equals(Operation.DOWNLOAD_VIDEO.label())) {
            return Messages.get("diag.vertex.object-gone", msg);
        }
        if (status == 400 && e.innerCode() != null) {
            return Messages.get("diag.vertex.invalid", e.innerCode(), msg, column(e.innerCode()));
        }
        if (status == 429) {
            return Messages.get("diag.vertex.throttled", said);
        }
        if (status >= 500) {
            return Messages.get("diag.vertex.server", said);
        }
        return Messages.get("diag.vertex.rejected", said);
    }

    @Override
    public String ofFailedJob(VideoJob job) {
        String reason = job.failureReason() == null ? "" : job.failureReason();
        if (reason.startsWith(VertexJobs.RAI_PREFIX)) {
            return Messages.get("diag.vertex.job-filtered", job.id(), reason.substring(reason.indexOf(':') + 1).strip());
        }
        return Messages.get("diag.vertex.job-error", job.id(), reason.isEmpty() ? job.status() : reason);
    }

    /** The CSV column a Veo parameter comes from. */
    static String column(String field) {
        String top = field.contains(".") ? field.substring(field.lastIndexOf('.') + 1) : field;
        return switch (top) {
            case "durationSeconds" -> InputColumns.SECONDS;
            case "aspectRatio" -> InputColumns.ASPECT_RATIO;
            case "resolution" -> InputColumns.RESOLUTION;
            case "sampleCount" -> InputColumns.N_VARIANTS;
            case "negativePrompt" -> InputColumns.NEGATIVE_PROMPT;
            case "seed" -> InputColumns.SEED;
            case "prompt" -> InputColumns.PROMPT;
            case "image", "bytesBase64Encoded", "mimeType" -> InputColumns.IMAGE_URL;
            case "storageUri" -> "sora.vertex.storage-uri";
            default -> InputColumns.PARAM_PREFIX + top;
        };
    }
}
