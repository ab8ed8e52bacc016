package dev.sorabatch.sora;

import java.time.Duration;
import java.util.Locale;

import dev.sorabatch.i18n.Messages;

/**
 * Plain-language cause and fix for every way a row or a run can fail: the troubleshooting guide's checklist,
 * done by the tool. When nothing specific is known, it says exactly what was received; never "Unknown error".
 */
public final class Diagnoses {

    private Diagnoses() {
    }

    /** The cause and fix in the words of the protocol {@code client} speaks (its variables, its console). */
    public static String of(SoraApiException e, SoraClient client) {
        return of(e, client.deployment(), client.provider());
    }

    static String of(SoraApiException e, String deployment, Provider provider) {
        boolean videos = provider == Provider.OPENAI_VIDEOS;
        String said = received(e);
        if (ApiErrors.isModeration(e.errorCode()) || ApiErrors.isModeration(e.innerCode())) {
            return Messages.get("diag.moderation", firstNonNull(e.innerCode(), e.errorCode()));
        }
        if (Operation.SAVE_FILE.label().equals(e.operation())) {
            return Messages.get("diag.save-file", e.errorMessage());
        }
        if (NetworkFaults.REDIRECT_LOOP.equals(e.errorCode())) {
            return Messages.get("diag.redirect-loop", loopHost(e), e.errorMessage());
        }
        if (Operation.FETCH_IMAGE.label().equals(e.operation()) && NetworkFaults.DEADLINE.equals(e.errorCode())) {
            return Messages.get("diag.image-deadline", e.errorMessage());
        }
        if (Operation.FETCH_IMAGE.label().equals(e.operation())) {
            return Messages.get("diag.image", firstNonNull(e.errorMessage(), said));
        }
        int status = e.httpStatus();
        if (status == 401) {
            return Messages.get(videos ? "diag.401.videos" : "diag.401", requestIdSuffix(e));
        }
        if (status == 403) {
            return Messages.get("diag.403", requestIdSuffix(e), nonNull(e.errorMessage()));
        }
        if (status == 404 && e.operation().equals(Operation.CREATE.label())) {
            if (mentionsDeployment(e)) {
                return Messages.get("diag.no-deployment", deployment, requestIdSuffix(e));
            }
            if (videos && mentionsModel(e)) {
                return Messages.get("diag.no-model", deployment, requestIdSuffix(e), nonNull(e.errorMessage()));
            }
            return Messages.get(videos ? "diag.no-api.videos" : "diag.no-api", requestIdSuffix(e));
        }
        if (status == 404) {
            return Messages.get("diag.gone", requestIdSuffix(e));
        }
        if (status == 429) {
            return Messages.get(videos ? "diag.throttled.videos" : "diag.throttled", said);
        }
        if (status >= 500) {
            return Messages.get("diag.server", said);
        }
        if (status == 400 || status == 422) {
            return videos ? Messages.get("diag.rejected.videos", said)
                    : Messages.get("diag.rejected", said, String.join(", ", SoraLimits.RESOLUTIONS),
                            SoraLimits.MIN_SECONDS, SoraLimits.MAX_SECONDS);
        }
        if (status == 0) {
            return network(e, videos ? "OPENAI_BASE_URL" : "AZURE_SORA_ENDPOINT");
        }
        return Messages.get("diag.other", said);
    }

    public static String ofFailedJob(VideoJob job) {
        String reason = job.failureReason();
        String normalized = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if ("cancelled".equalsIgnoreCase(job.status())) {
            return Messages.get("diag.job-cancelled", job.id());
        }
        if (normalized.contains("input_moderation") || normalized.contains("moderation_blocked")
                || normalized.contains("sentinel_block")) {
            return Messages.get("diag.input-moderation", job.id());
        }
        if (normalized.contains("output_moderation")) {
            return Messages.get("diag.output-moderation", job.id());
        }
        if (normalized.contains("internal_error")) {
            return Messages.get("diag.internal-error", job.id());
        }
        return Messages.get("diag.job-failed", job.id(), job.status(),
                reason == null ? Messages.get("diag.job-failed.no-reason") : "'" + reason + "'");
    }

    public static String ofTimeout(String jobId, Duration waited, String lastStatus) {
        return Messages.get("diag.timeout", human(waited), jobId, lastStatus);
    }

    public static String ofDownloadFailure(String jobId, SoraApiException e) {
        if (NetworkFaults.REDIRECT_LOOP.equals(e.errorCode())) {
            return Messages.get("diag.download.redirect-loop", jobId, loopHost(e), e.errorMessage());
        }
        return Messages.get("diag.download", jobId, e.getMessage());
    }

    private static String network(SoraApiException e, String endpointVariable) {
        String what = nonNull(e.errorMessage());
        if (what.startsWith("cannot resolve host")) {
            return Messages.get("diag.dns", what, endpointVariable);
        }
        if (what.startsWith("TLS handshake")) {
            return Messages.get("diag.tls", what, endpointVariable);
        }
        if (what.startsWith("cannot connect")) {
            return Messages.get("diag.connect", what);
        }
        if (NetworkFaults.DEADLINE.equals(e.errorCode())) {
            return Messages.get("diag.deadline", what);
        }
        if (what.startsWith("timed out")) {
            return Messages.get("diag.read-timeout", what);
        }
        return Messages.get("diag.network", what);
    }

    private static String loopHost(SoraApiException e) {
        return e.getCause() instanceof CredentialScope.RedirectLoopException loop ? loop.host() : "?";
    }

    private static boolean mentionsModel(SoraApiException e) {
        String text = (nonNull(e.errorCode()) + " " + nonNull(e.errorMessage())).toLowerCase(Locale.ROOT);
        return text.contains("model");
    }

    private static boolean mentionsDeployment(SoraApiException e) {
        String text = (nonNull(e.errorCode()) + " " + nonNull(e.errorMessage())).toLowerCase(Locale.ROOT);
        return text.contains("deployment");
    }

    /** What the service said, in one line: status, code, message, request id. */
    public static String received(SoraApiException e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.httpStatus() > 0 ? "HTTP " + e.httpStatus() : Messages.get("diag.received.no-answer"));
        if (e.errorCode() != null) {
            sb.append(" ").append(e.errorCode());
        }
        if (e.errorMessage() != null) {
            sb.append(Messages.get("diag.received.message", e.errorMessage()));
        } else if (e.bodyExcerpt() != null) {
            sb.append(Messages.get("diag.received.body", e.bodyExcerpt()));
        }
        if (e.requestId() != null) {
            sb.append(" (apim-request-id ").append(e.requestId()).append(")");
        }
        return sb.toString();
    }

    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 7200 && s % 3600 == 0) {
            return (s / 3600) + " h";
        }
        if (s < 120) {
            return s + " s";
        }
        return s % 60 == 0 ? (s / 60) + " min" : (s / 60) + " min " + (s % 60) + " s";
    }

    private static String requestIdSuffix(SoraApiException e) {
        return e.requestId() == null ? "" : Messages.get("diag.request-id", e.requestId());
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
