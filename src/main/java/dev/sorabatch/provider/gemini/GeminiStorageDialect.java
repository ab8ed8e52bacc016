package dev.sorabatch.provider.gemini;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.SimulatorDialect;

/**
 * The storage host the simulated Gemini API redirects a file download to, on a listener of its own (another origin
 * than the API's): {@code GET /generated/{file id}.mp4?Expires=…&Signature=…} answers the video to anyone holding the
 * signed URL, no key asked. A client must not send its key here; {@link GeminiSimulator} notes any request that
 * carried one. Errors are Cloud Storage's XML.
 */
final class GeminiStorageDialect implements SimulatorDialect {

    static final String PATH = "/generated/";

    private final GeminiSimulator simulator;

    GeminiStorageDialect(GeminiSimulator simulator) {
        this.simulator = simulator;
    }

    /** The signature a redirect puts in the URL (a stand-in: the storage host checks it is the file's). */
    static String signature(String fileId) {
        return Integer.toHexString(("sim-" + fileId).hashCode());
    }

    @Override
    public boolean serves(LoopbackHttpServer.Request request) {
        return true;
    }

    @Override
    public boolean needsKey() {
        return false;
    }

    @Override
    public String presentedKey(LoopbackHttpServer.Request request) {
        return null;
    }

    @Override
    public LoopbackHttpServer.Reply unauthorized(LoopbackHttpServer.Request request) {
        return xml(403, "AccessDenied", "Access denied.");
    }

    @Override
    public LoopbackHttpServer.Reply fault(Fault fault, Integer retryAfterSeconds) {
        return switch (fault) {
            case THROTTLED, QUOTA -> xml(429, "SlowDown", "Please reduce your request rate.");
            case SERVER_ERROR -> xml(500, "InternalError", "We encountered an internal error. Please try again.");
            default -> xml(503, "ServiceUnavailable", "Service Unavailable");
        };
    }

    @Override
    public LoopbackHttpServer.Reply answer(LoopbackHttpServer.Request request, Map<String, String> query) {
        String path = request.path();
        String fileId = path.startsWith(PATH) && path.endsWith(".mp4")
                ? path.substring(PATH.length(), path.length() - ".mp4".length()) : "";
        SimulatedJob job = simulator.jobs().byGeneration(fileId);
        if (job == null || job.isDeleted() || !job.dialect.equals(GeminiApiDialect.DIALECT)) {
            simulator.count("not-found");
            return xml(404, "NoSuchKey", "The specified key does not exist.");
        }
        if (!signature(fileId).equals(query.get("Signature"))) {
            return xml(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                    + "signature you provided.");
        }
        return simulator.file(simulator.video(), "video/mp4");
    }

    private static LoopbackHttpServer.Reply xml(int status, String code, String message) {
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.status = status;
        reply.body = ("<?xml version='1.0' encoding='UTF-8'?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        return reply.header("Content-Type", "application/xml; charset=UTF-8");
    }
}
