package dev.sorabatch.diagnosis;

import java.time.Duration;

import dev.sorabatch.http.CredentialScope;
import dev.sorabatch.http.NetworkFaults;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;
import dev.sorabatch.service.VideoService;

/**
 * Plain-language cause and fix for every way a row or a run can fail: the troubleshooting guide's checklist, done
 * by the tool. What is the same for every service (a file that cannot be saved, an image URL, a redirect loop, the
 * network, a time-out) is told here; a service's own answers by its {@link dev.sorabatch.service.ServiceDiagnoses}.
 * When nothing specific is known, it says exactly what was received; never "Unknown error".
 */
public final class Diagnoses {

    private Diagnoses() {
    }

    /** The cause and fix in the words of the service that answered (its variables, its console). */
    public static String of(ServiceException e, VideoService service) {
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
            return Messages.get("diag.image", e.errorMessage() != null ? e.errorMessage() : received(e));
        }
        if (e.httpStatus() == 0 && e.getCause() == null) {
            // no answer and no network fault: a call the client refused to send (fal: a URL on a host that is not
            // its queue's, which must not get the key); the provider explains it in its own words
            return service.diagnoses().ofAnswer(e, service.deployment());
        }
        if (e.httpStatus() == 0) {
            return network(e, service.diagnoses().endpointSetting());
        }
        return service.diagnoses().ofAnswer(e, service.deployment());
    }

    public static String ofFailedJob(VideoJob job, VideoService service) {
        return service.diagnoses().ofFailedJob(job);
    }

    /** A failed job whose reason no table knows: its status and the service's own words. */
    public static String ofUnexplainedFailure(VideoJob job) {
        String reason = job.failureReason();
        return Messages.get("diag.job-failed", job.id(), job.status(),
                reason == null ? Messages.get("diag.job-failed.no-reason") : "'" + reason + "'");
    }

    public static String ofTimeout(String jobId, Duration waited, String lastStatus) {
        return Messages.get("diag.timeout", human(waited), jobId, lastStatus);
    }

    public static String ofDownloadFailure(String jobId, ServiceException e) {
        if (NetworkFaults.REDIRECT_LOOP.equals(e.errorCode())) {
            return Messages.get("diag.download.redirect-loop", jobId, loopHost(e), e.errorMessage());
        }
        return Messages.get("diag.download", jobId, e.getMessage());
    }

    private static String network(ServiceException e, String endpointVariable) {
        String what = e.errorMessage() == null ? "" : e.errorMessage();
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

    private static String loopHost(ServiceException e) {
        return e.getCause() instanceof CredentialScope.RedirectLoopException loop ? loop.host() : "?";
    }

    /** What the service said, in one line: status, code, message, request id. */
    public static String received(ServiceException e) {
        return received(e, "apim-request-id");
    }

    /** The same, naming the request id by the header the service sends it in ({@code x-fal-request-id}). */
    public static String received(ServiceException e, String requestIdHeader) {
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
            sb.append(" (").append(requestIdHeader).append(" ").append(e.requestId()).append(")");
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

    public static String requestIdSuffix(ServiceException e) {
        return e.requestId() == null ? "" : Messages.get("diag.request-id", e.requestId());
    }
}
