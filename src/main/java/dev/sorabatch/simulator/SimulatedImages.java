package dev.sorabatch.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Stands in for the web during {@code --simulate}: any image URL gets a JPEG, except tell-tale names ({@code missing}
 * or {@code 404}: not found; {@code huge}: announces 5 GB; {@code html}: a sign-in page served as an image).
 */
public final class SimulatedImages {

    private final byte[] referenceImage = Wire.resource("simulator/reference.jpg");

    /** Whether a model fetching this URL would get an image (the same tell-tale names). */
    public static boolean fetchable(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return !lower.contains("missing") && !lower.contains("404") && !lower.contains("html");
    }

    LoopbackHttpServer.Reply reply(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        if (lower.contains("missing") || lower.contains("404")) {
            reply.status = 404;
            reply.body = "<html><body>Not Found</body></html>".getBytes(StandardCharsets.UTF_8);
            return reply.header("Content-Type", "text/html");
        }
        if (lower.contains("huge")) {
            // Announces 5 GB, sends a little, hangs up: a client must refuse on the announced size.
            reply.body = referenceImage;
            reply.truncate = true;
            return reply.header("Content-Type", "image/jpeg").header("Content-Length", "5368709120");
        }
        if (lower.contains("html")) {
            reply.body = "<!doctype html><html><body>Sign in to view this image</body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            return reply.header("Content-Type", "image/jpeg");
        }
        reply.body = referenceImage;
        return reply.header("Content-Type", "image/jpeg");
    }
}
