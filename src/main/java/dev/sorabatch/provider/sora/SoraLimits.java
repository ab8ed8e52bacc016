package dev.sorabatch.provider.sora;

import java.util.List;

/** What Azure Sora 1 accepts (Microsoft's "Sora technical limitations"), checked before any call is paid for. */
public final class SoraLimits {

    public static final List<String> RESOLUTIONS = List.of("480x480", "480x854", "854x480", "720x720", "720x1280",
            "1280x720", "1080x1080", "1080x1920", "1920x1080");
    public static final int MIN_SECONDS = 1;
    public static final int MAX_SECONDS = 20;
    /** The Videos API's longest single video (120 s is the most an extended video reaches). */
    public static final int MAX_VIDEOS_SECONDS = 120;

    private SoraLimits() {
    }

    public static boolean supports(int width, int height) {
        return RESOLUTIONS.contains(width + "x" + height);
    }

    /** "For 1080p resolutions, this feature is disabled; for 720p, the maximum is two; otherwise four." */
    public static int maxVariants(int width, int height) {
        int shortSide = Math.min(width, height);
        if (shortSide >= 1080) {
            return 1;
        }
        if (shortSide >= 720) {
            return 2;
        }
        return 4;
    }
}
