package dev.sorabatch.job;

import dev.sorabatch.service.VideoService;
import dev.sorabatch.service.Retrier;
import dev.sorabatch.http.ImageFetcher;

/** Everything needed to talk to one Sora service: the API client, the image fetcher and the retry policy. */
public record ServiceConnection(VideoService client, ImageFetcher images, Retrier retrier) {
}
