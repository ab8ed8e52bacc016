package dev.sorabatch.sora;

/** Everything needed to talk to one Sora service: the API client, the image fetcher and the retry policy. */
public record SoraConnection(SoraClient client, ImageFetcher images, Retrier retrier) {
}
