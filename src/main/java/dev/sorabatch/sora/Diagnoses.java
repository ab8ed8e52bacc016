package dev.sorabatch.sora;

import java.time.Duration;
import java.util.Locale;

/**
 * Plain-language cause and fix for every way a row or a run can fail: the troubleshooting guide's checklist,
 * done by the tool. When nothing specific is known, it says exactly what was received; never "Unknown error".
 */
public final class Diagnoses {

    private Diagnoses() {
    }

    public static String of(SoraApiException e, String deployment) {
        String said = received(e);
        if (ApiErrors.isModeration(e.errorCode()) || ApiErrors.isModeration(e.innerCode())) {
            return "The content was refused by the service's safety system (" + firstNonNull(e.innerCode(), e.errorCode())
                    + "). Rephrase the prompt: no real people or public figures, brands, copyrighted characters or music, "
                    + "violence or sexual content; for image rows, no faces. The same prompt will be refused again.";
        }
        if (Operation.SAVE_FILE.label().equals(e.operation())) {
            return "Could not save to the output folder (" + e.errorMessage() + "). Free disk space, fix its "
                    + "permissions or choose another --output, then run the same command again: finished videos are "
                    + "kept and generated ones are downloaded again (the service keeps them 24 hours).";
        }
        if (Operation.FETCH_IMAGE.label().equals(e.operation())) {
            return "The row's image_url could not be used: " + firstNonNull(e.errorMessage(), said)
                    + ". Make sure the URL is public (e.g. a public storage bucket) and points straight at a JPEG, PNG "
                    + "or WebP file.";
        }
        int status = e.httpStatus();
        if (status == 401) {
            return "The service refused the API key (HTTP 401" + requestIdSuffix(e) + "). Check AZURE_API_KEY: it must be "
                    + "one of the two keys of the Azure resource named in AZURE_SORA_ENDPOINT (Azure portal → the "
                    + "resource → Keys and Endpoint). A rotated or regenerated key must be updated here too.";
        }
        if (status == 403) {
            return "The key was not allowed to use this resource (HTTP 403" + requestIdSuffix(e) + ": "
                    + nonNull(e.errorMessage()) + "). Check that the key belongs to this resource and that the "
                    + "resource's network rules allow this machine.";
        }
        if (status == 404 && e.operation().equals(Operation.CREATE.label())) {
            if (mentionsDeployment(e)) {
                return "The resource has no Sora deployment named '" + deployment + "' (HTTP 404" + requestIdSuffix(e)
                        + "). Deploy a Sora model in Azure AI Foundry, or set sora.deployment to the exact deployment "
                        + "name. A new deployment can take a few minutes to become usable.";
            }
            return "The Sora jobs API was not found at this endpoint (HTTP 404" + requestIdSuffix(e) + "). Set "
                    + "AZURE_SORA_ENDPOINT to https://<resource>.openai.azure.com or to the full "
                    + ".../openai/v1/video/generations/jobs?api-version=preview URL; check the resource name for typos "
                    + "and that its region offers Sora.";
        }
        if (status == 404) {
            return "The service no longer knows this job or video (HTTP 404" + requestIdSuffix(e) + "). Jobs are "
                    + "deleted 24 hours after creation; submit the row again to get a new video.";
        }
        if (status == 429) {
            return "Still throttled when the retries ran out (" + said + "). Sora allows 60 requests per minute and "
                    + "2 running jobs per resource; another client may be using the same quota. Try the row again "
                    + "later, or lower sora.max-in-flight.";
        }
        if (status >= 500) {
            return "The service kept failing on its side (" + said + ") until the retries ran out. Nothing was wrong "
                    + "with the row; submit it again later.";
        }
        if (status == 400 || status == 422) {
            return "The service rejected the request (" + said + "). Check the row's prompt, width x height "
                    + "(480x480, 480x854, 854x480, 720x720, 720x1280, 1280x720, 1080x1080, 1080x1920, 1920x1080), "
                    + "n_seconds (1-20) and n_variants.";
        }
        if (status == 0) {
            return network(e);
        }
        return "The service answered " + said + ".";
    }

    public static String ofFailedJob(VideoJob job) {
        String reason = job.failureReason();
        String normalized = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if ("cancelled".equalsIgnoreCase(job.status())) {
            return "Job " + job.id() + " was cancelled at the service, not by this run. Submit the row again if the "
                    + "video is still wanted.";
        }
        if (normalized.contains("input_moderation")) {
            return "The prompt or image was refused by input moderation (job " + job.id() + "). Rephrase it: no real "
                    + "people or public figures, brands, copyrighted characters, violence or sexual content; for image "
                    + "rows, no faces. The same prompt will be refused again.";
        }
        if (normalized.contains("output_moderation")) {
            return "The generated video was blocked by output moderation (job " + job.id() + "). Rephrase the prompt "
                    + "to steer away from sensitive content; the same prompt is likely to be blocked again.";
        }
        if (normalized.contains("internal_error")) {
            return "The service failed while generating the video (internal_error, job " + job.id() + "). Nothing was "
                    + "wrong with the row; submit it again later.";
        }
        return "Job " + job.id() + " ended as '" + job.status() + "' with failure_reason "
                + (reason == null ? "not given by the service" : "'" + reason + "'")
                + ". Check the prompt and parameters; quote the job id to Azure support if it keeps happening.";
    }

    public static String ofTimeout(String jobId, Duration waited, String lastStatus) {
        return "Timed out after " + human(waited) + ", job id " + jobId + " (last status '" + lastStatus + "'). The job "
                + "was deleted at the service. Raise sora.job-timeout for long or high-resolution videos, or try again "
                + "when the service is less busy.";
    }

    public static String ofDownloadFailure(String jobId, SoraApiException e) {
        return "The video was generated (job " + jobId + ") but could not be saved: " + e.getMessage()
                + ". It stays downloadable for 24 hours after creation; check free space and permissions of the "
                + "output folder.";
    }

    private static String network(SoraApiException e) {
        String what = nonNull(e.errorMessage());
        if (what.startsWith("cannot resolve host")) {
            return "The endpoint's host name does not resolve (" + what + "). Check the resource name in "
                    + "AZURE_SORA_ENDPOINT for typos, and this machine's DNS or proxy settings.";
        }
        if (what.startsWith("TLS handshake")) {
            return "Could not establish a secure connection (" + what + "). Check that AZURE_SORA_ENDPOINT uses "
                    + "https and the right host, and any TLS-intercepting proxy.";
        }
        if (what.startsWith("cannot connect")) {
            return "Could not connect to the service (" + what + "). Check network access from this machine "
                    + "(firewall, proxy) and the endpoint host and port.";
        }
        if (what.startsWith("timed out")) {
            return "The service did not answer in time (" + what + ") until the retries ran out. Check the network, "
                    + "or raise sora.http.read-timeout.";
        }
        return "The connection failed (" + what + ") until the retries ran out. Check the network and try again.";
    }

    private static boolean mentionsDeployment(SoraApiException e) {
        String text = (nonNull(e.errorCode()) + " " + nonNull(e.errorMessage())).toLowerCase(Locale.ROOT);
        return text.contains("deployment");
    }

    /** What the service said, in one line: status, code, message, request id. */
    public static String received(SoraApiException e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.httpStatus() > 0 ? "HTTP " + e.httpStatus() : "no HTTP answer");
        if (e.errorCode() != null) {
            sb.append(" ").append(e.errorCode());
        }
        if (e.errorMessage() != null) {
            sb.append(": ").append(e.errorMessage());
        } else if (e.bodyExcerpt() != null) {
            sb.append(", body: ").append(e.bodyExcerpt());
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
        return e.requestId() == null ? "" : ", apim-request-id " + e.requestId();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
