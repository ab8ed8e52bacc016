package dev.sorabatch.provider.sora;

import java.util.Locale;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceDiagnoses;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;

/**
 * The Sora family's cause-and-fix table — the troubleshooting guide's checklist — in the words of the Azure jobs
 * API ({@code AZURE_*}, deployments) or of the Videos API ({@code OPENAI_*}, models).
 */
public final class SoraDiagnoses implements ServiceDiagnoses {

    public static final SoraDiagnoses AZURE = new SoraDiagnoses(false);
    public static final SoraDiagnoses VIDEOS = new SoraDiagnoses(true);

    private final boolean videos;

    private SoraDiagnoses(boolean videos) {
        this.videos = videos;
    }

    @Override
    public String endpointSetting() {
        return videos ? "OPENAI_BASE_URL" : "AZURE_SORA_ENDPOINT";
    }

    @Override
    public String ofAnswer(ServiceException e, String deployment) {
        String said = Diagnoses.received(e);
        if (SoraErrors.isModeration(e.errorCode()) || SoraErrors.isModeration(e.innerCode())) {
            return Messages.get("diag.moderation", e.innerCode() != null ? e.innerCode() : e.errorCode());
        }
        int status = e.httpStatus();
        if (status == 401) {
            return Messages.get(videos ? "diag.401.videos" : "diag.401", Diagnoses.requestIdSuffix(e));
        }
        if (status == 403) {
            return Messages.get("diag.403", Diagnoses.requestIdSuffix(e), nonNull(e.errorMessage()));
        }
        if (status == 404 && e.operation().equals(Operation.CREATE.label())) {
            if (mentions(e, "deployment")) {
                return Messages.get("diag.no-deployment", deployment, Diagnoses.requestIdSuffix(e));
            }
            if (videos && mentions(e, "model")) {
                return Messages.get("diag.no-model", deployment, Diagnoses.requestIdSuffix(e),
                        nonNull(e.errorMessage()));
            }
            return Messages.get(videos ? "diag.no-api.videos" : "diag.no-api", Diagnoses.requestIdSuffix(e));
        }
        if (status == 404) {
            return Messages.get("diag.gone", Diagnoses.requestIdSuffix(e));
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
        return Messages.get("diag.other", said);
    }

    @Override
    public String ofFailedJob(VideoJob job) {
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
        return Diagnoses.ofUnexplainedFailure(job);
    }

    private static boolean mentions(ServiceException e, String word) {
        return (nonNull(e.errorCode()) + " " + nonNull(e.errorMessage())).toLowerCase(Locale.ROOT).contains(word);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
