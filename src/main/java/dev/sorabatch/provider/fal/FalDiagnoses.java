package dev.sorabatch.provider.fal;

import java.util.Locale;

import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceDiagnoses;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;

/** fal's cause-and-fix table, in its words: {@code FAL_KEY}, {@code FAL_QUEUE_URL}, model ids, the request id. */
final class FalDiagnoses implements ServiceDiagnoses {

    static final FalDiagnoses INSTANCE = new FalDiagnoses();
    private static final String REQUEST_ID = "x-fal-request-id";

    private FalDiagnoses() {
    }

    @Override
    public String endpointSetting() {
        return "FAL_QUEUE_URL";
    }

    @Override
    public String ofAnswer(ServiceException e, String model) {
        String said = Diagnoses.received(e, REQUEST_ID);
        String id = e.requestId() == null ? "" : Messages.get("diag.fal.request-id", e.requestId());
        if (FalErrors.FOREIGN_HOST.equals(e.errorCode())) {
            return Messages.get("diag.fal.foreign-host", e.errorMessage());
        }
        if (e.httpStatus() == 0) {
            return Messages.get("diag.fal.other", said);
        }
        if (FalErrors.CONTENT_POLICY.equals(e.errorCode())) {
            return Messages.get("diag.fal.moderation", categories(e.innerCode()));
        }
        int status = e.httpStatus();
        if (status == 401) {
            return Messages.get("diag.fal.401", id);
        }
        if (status == 403) {
            return Messages.get("diag.fal.403", id, e.errorMessage() == null ? "" : e.errorMessage());
        }
        if (status == 404 && e.operation().equals(Operation.CREATE.label())) {
            return Messages.get("diag.fal.no-model", model, id);
        }
        if (status == 404) {
            return Messages.get("diag.fal.gone", id);
        }
        if (status == 422 && e.innerCode() != null) {
            return Messages.get("diag.fal.invalid", e.innerCode(), e.errorMessage(), column(e.innerCode()), model);
        }
        if (status == 429) {
            return Messages.get("diag.fal.throttled", said);
        }
        if (status >= 500) {
            return Messages.get("diag.fal.server", said);
        }
        return Messages.get("diag.fal.rejected", said);
    }

    @Override
    public String ofFailedJob(VideoJob job) {
        String reason = job.failureReason() == null ? "" : job.failureReason();
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.startsWith(FalErrors.CONTENT_POLICY)) {
            return Messages.get("diag.fal.job-moderation", job.id(), reason);
        }
        if (lower.contains("timeout") || lower.contains("timed out")) {
            return Messages.get("diag.fal.job-timeout", job.id(), reason);
        }
        return Messages.get("diag.fal.job-failed", job.id(), reason.isEmpty() ? job.status() : reason);
    }

    /** The CSV column a model input comes from: {@code duration} is the row's seconds, others keep their name. */
    static String column(String field) {
        String top = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
        return switch (top) {
            case "duration" -> InputColumns.SECONDS;
            case "prompt", "image_url", "aspect_ratio", "resolution", "negative_prompt", "seed" -> top;
            default -> InputColumns.PARAM_PREFIX + top;
        };
    }

    private static String categories(String categories) {
        return categories == null ? Messages.get("diag.fal.no-categories") : categories.replace(",", ", ");
    }
}
