package dev.sorabatch.service;

import java.util.List;

/**
 * A video generation job as the service describes it, whichever protocol it speaks. Status and failure reason are
 * kept as the service's own open strings (the report shows its words; an unknown value must not fail the row);
 * whether the status is final and successful is decided by the provider that read it. {@code handle} is what a
 * service needs besides the id to find the job again (fal: the URLs its submit answered), kept in the ledger. {@code prompt}, {@code model}
 * and the shape are what the service echoes of the create, for recognising a job whose create answer was lost;
 * {@code echoedInput} is the whole input a listing echoes in the service's own form (fal: {@code json_input}), or
 * null.
 */
public record VideoJob(String id, String status, Long createdAt, Long finishedAt, Long expiresAt,
        List<String> generationIds, String failureReason, String prompt, String model, Integer width, Integer height,
        Integer nSeconds, Integer nVariants, String requestId, java.time.Duration pollAfter, boolean terminal,
        boolean success, Integer progress, String handle, Integer queuePosition, String echoedInput) {

    /** A job that needs nothing but its id to be found again, with no queue position. */
    public VideoJob(String id, String status, Long createdAt, Long finishedAt, Long expiresAt,
            List<String> generationIds, String failureReason, String prompt, String model, Integer width,
            Integer height, Integer nSeconds, Integer nVariants, String requestId, java.time.Duration pollAfter,
            boolean terminal, boolean success, Integer progress) {
        this(id, status, createdAt, finishedAt, expiresAt, generationIds, failureReason, prompt, model, width, height,
                nSeconds, nVariants, requestId, pollAfter, terminal, success, progress, null, null, null);
    }

    /** The same job, with the request id and the poll hint of the answer that described it. */
    public VideoJob withAnswer(String id, java.time.Duration hint) {
        return new VideoJob(this.id, status, createdAt, finishedAt, expiresAt, generationIds, failureReason, prompt,
                model, width, height, nSeconds, nVariants, id, hint, terminal, success, progress, handle, queuePosition,
                echoedInput);
    }

    public boolean isTerminal() {
        return terminal;
    }

    public boolean succeeded() {
        return success;
    }
}
