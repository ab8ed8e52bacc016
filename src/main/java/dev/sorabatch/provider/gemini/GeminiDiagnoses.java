package dev.sorabatch.provider.gemini;

import java.util.Locale;
import java.util.Map;
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
 * The Gemini API's cause-and-fix table in its words: the key's variable ({@code GEMINI_API_KEY} or
 * {@code GOOGLE_API_KEY}, whichever was used) and Google AI Studio; a model Google retired on this API, with Vertex AI
 * ({@code --provider=vertex-veo}) where Veo 3.1 runs; the safety filters' reasons quoted; a done operation's gRPC code.
 */
final class GeminiDiagnoses implements ServiceDiagnoses {

    /** "… use veo-3.1-generate-preview instead", "replacement: x", "migrate to `x`". */
    /** The model Google's message names ({@code models/veo-3.0-generate-001}): the row's, not the default. */
    private static final Pattern NAMED_MODEL = Pattern.compile("models/([a-z][a-z0-9.\\-]*[a-z0-9])");
    private static final Pattern REPLACEMENT = Pattern.compile("(?i)(?:\\buse|migrate to|replaced by|replacement"
            + "(?: model)?(?: is)?:?)\\s+[`'\"]?(?:models/)?([a-z][a-z0-9.\\-]*[a-z0-9])");
    /** The CSV column each parameter comes from; others are {@code param.<name>} columns. */
    private static final Map<String, String> COLUMNS = Map.of("durationSeconds", InputColumns.SECONDS,
            "aspectRatio", InputColumns.ASPECT_RATIO, "resolution", InputColumns.RESOLUTION,
            "sampleCount", InputColumns.N_VARIANTS, "negativePrompt", InputColumns.NEGATIVE_PROMPT,
            "prompt", InputColumns.PROMPT, "image", InputColumns.IMAGE_URL,
            "bytesBase64Encoded", InputColumns.IMAGE_URL, "mimeType", InputColumns.IMAGE_URL);

    private final String keyVariable;

    /** @param keyVariable the variable the key was read from, named in the fixes */
    GeminiDiagnoses(String keyVariable) {
        this.keyVariable = keyVariable;
    }

    @Override
    public String ofAnswer(ServiceException e, String defaultModel) {
        String said = Diagnoses.received(e);
        String msg = e.errorMessage() == null ? "" : e.errorMessage();
        Matcher named = NAMED_MODEL.matcher(msg);
        String model = named.find() ? named.group(1) : defaultModel;
        String lower = msg.toLowerCase(Locale.ROOT);
        String reason = e.innerCode() == null ? "" : e.innerCode();
        int status = e.httpStatus();
        boolean aboutTheModel = e.operation().equals(Operation.CREATE.label())
                || e.operation().equals(Operation.LIST.label());
        if (status == 0) {
            return Messages.get("diag.gemini.other", said);
        }
        if (reason.equals(GeminiErrors.API_KEY_INVALID)) {
            return Messages.get("diag.gemini.key-invalid", keyVariable);
        }
        if (status == 403 && (reason.startsWith("API_KEY") || lower.contains("leaked"))) {
            return Messages.get("diag.gemini.key-blocked", keyVariable, msg);
        }
        if (status == 403 && lower.contains("unregistered callers")) {
            return Messages.get("diag.gemini.key-missing", keyVariable);
        }
        if (status == 403) {
            return Messages.get("diag.gemini.403", keyVariable, msg);
        }
        if (status == 404 && aboutTheModel) {
            return retiredOrUnknown(model, msg, lower);
        }
        if (status == 404 && e.operation().equals(Operation.DOWNLOAD_VIDEO.label())) {
            return Messages.get("diag.gemini.file-gone", msg);
        }
        if (status == 404) {
            return Messages.get("diag.gemini.operation-gone", msg);
        }
        if (status == 400 && GeminiErrors.FAILED_PRECONDITION.equals(e.errorCode())) {
            return Messages.get("diag.gemini.precondition", msg);
        }
        if (status == 400 && e.innerCode() != null) {
            return Messages.get("diag.gemini.invalid", e.innerCode(), msg, column(e.innerCode()));
        }
        // what is left is told with what Google said: a quota that outlasted the retries, its side, or a refusal
        String kind = status == 429 ? "throttled" : status >= 500 ? "server" : "rejected";
        return Messages.get("diag.gemini." + kind, said);
    }

    /** A 404 for the model: retired on this API (Veo 3.1 runs on Vertex AI), or an id it never served. */
    private static String retiredOrUnknown(String model, String msg, String lower) {
        if (lower.contains("no longer available") || lower.contains("retired") || lower.contains("shut down")
                || lower.contains("deprecated")) {
            Matcher m = REPLACEMENT.matcher(msg);
            String replacement = m.find() ? Messages.get("diag.gemini.replacement", m.group(1)) : "";
            return Messages.get("diag.gemini.retired", model, replacement, msg);
        }
        return Messages.get("diag.gemini.no-model", model, msg);
    }

    @Override
    public String ofFailedJob(VideoJob job) {
        // the reason is quoted inside a sentence: its own closing period would double the sentence's
        String reason = job.failureReason() == null ? "" : job.failureReason().strip().replaceAll("\\.+$", "");
        if (reason.startsWith(GeminiJobs.RAI_PREFIX)) {
            return Messages.get("diag.gemini.job-filtered", job.id(), reason.substring(reason.indexOf(':') + 1).strip());
        }
        if (reason.equals(GeminiJobs.NO_VIDEO)) {
            return Messages.get("diag.gemini.job-no-video", job.id());
        }
        return Messages.get("diag.gemini.job-error", job.id(), reason.isEmpty() ? job.status() : reason);
    }

    /** Named in network diagnoses: where the API is. */
    @Override
    public String endpointSetting() {
        return "sora.gemini.base-url";
    }

    /** The CSV column a Veo parameter comes from ({@code instances[0].image.mimeType} → {@code image_url}). */
    static String column(String field) {
        String last = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
        return COLUMNS.getOrDefault(last, InputColumns.PARAM_PREFIX + snakeCase(last));
    }

    private static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
