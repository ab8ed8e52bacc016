package dev.sorabatch.sora;

/** What one row asks the service for. {@code image} is null for a text-only prompt. */
public record CreateVideoRequest(String prompt, int width, int height, int nSeconds, int nVariants,
        ReferenceImage image) {

    public boolean sameVideoAs(VideoJob job) {
        return prompt.equals(job.prompt()) && eq(width, job.width()) && eq(height, job.height())
                && eq(nSeconds, job.nSeconds()) && eq(nVariants, job.nVariants());
    }

    private static boolean eq(int a, Integer b) {
        return b != null && a == b;
    }
}
