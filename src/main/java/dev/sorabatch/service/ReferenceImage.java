package dev.sorabatch.service;

/** An image fetched from a row's {@code image_url}, checked to be an image, ready to upload. */
public record ReferenceImage(String fileName, String mediaType, byte[] bytes) {
}
