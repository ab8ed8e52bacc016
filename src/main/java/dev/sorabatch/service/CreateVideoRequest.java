package dev.sorabatch.service;

/**
 * What one row asks the service for. {@code image} is the fetched image of a service that takes the bytes (null for
 * a text-only prompt, or for a service that fetches {@code imageUrl} itself); {@code model} is null when the row
 * names none (the configured deployment or model is sent); {@code inputs} are the row's further model inputs.
 * {@code rowKey} names the row within its input ({@code row-12}), the same in every run and attempt, or null: a
 * service that cannot list its jobs may file the output under it (Vertex: a storage sub-prefix per row), so that
 * what a lost create made can still be found.
 */
public record CreateVideoRequest(String prompt, int width, int height, int nSeconds, int nVariants,
        ReferenceImage image, String model, String imageUrl, ModelInputs inputs, String rowKey) {

    public CreateVideoRequest {
        inputs = inputs == null ? ModelInputs.NONE : inputs;
    }

    public CreateVideoRequest(String prompt, int width, int height, int nSeconds, int nVariants,
            ReferenceImage image, String model, String imageUrl, ModelInputs inputs) {
        this(prompt, width, height, nSeconds, nVariants, image, model, imageUrl, inputs, null);
    }

    public CreateVideoRequest(String prompt, int width, int height, int nSeconds, int nVariants, ReferenceImage image) {
        this(prompt, width, height, nSeconds, nVariants, image, null);
    }

    public CreateVideoRequest(String prompt, int width, int height, int nSeconds, int nVariants, ReferenceImage image,
            String model) {
        this(prompt, width, height, nSeconds, nVariants, image, model, null, ModelInputs.NONE);
    }

    public String modelOr(String fallback) {
        return model == null || model.isBlank() ? fallback : model;
    }

    public String size() {
        return width + "x" + height;
    }

    /**
     * Whether {@code job} is what this request asks for, on every field the service echoes: prompt, size, seconds,
     * variants and the model (this row's, or {@code defaultModel} when it names none). A service that does not echo the
     * model is matched on the rest.
     */
    public boolean sameVideoAs(VideoJob job, String defaultModel) {
        String sent = modelOr(defaultModel);
        return prompt.equals(job.prompt()) && eq(width, job.width()) && eq(height, job.height())
                && eq(nSeconds, job.nSeconds()) && eq(nVariants, job.nVariants())
                && (job.model() == null || sent == null || sent.equals(job.model()));
    }

    private static boolean eq(int a, Integer b) {
        return b != null && a == b;
    }
}
