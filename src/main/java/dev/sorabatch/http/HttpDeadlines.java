package dev.sorabatch.http;

import java.time.Duration;

/**
 * How long a whole call may take, headers and body ({@code sora.http.*}): {@code call} for a create, poll, list or
 * delete; {@code image} for a row's image URL; {@code download} plus one second per {@code minDownloadRate} bytes
 * the answer announces for a video or thumbnail.
 */
public record HttpDeadlines(Duration call, Duration image, Duration download, long minDownloadRate) {

    public static final HttpDeadlines DEFAULT = new HttpDeadlines(Duration.ofMinutes(2), Duration.ofSeconds(60),
            Duration.ofMinutes(5), 256 * 1024);

    /** The deadline of a download that announced {@code contentLength} bytes (-1: unknown, the base alone). */
    public Duration download(long contentLength) {
        if (contentLength <= 0 || minDownloadRate <= 0) {
            return download;
        }
        return download.plusMillis(Math.multiplyExact(contentLength, 1000L) / minDownloadRate);
    }
}
