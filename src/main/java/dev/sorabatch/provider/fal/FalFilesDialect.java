package dev.sorabatch.provider.fal;

import java.util.List;
import java.util.Map;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatedJob;

/**
 * The simulated fal CDN ({@code v3.fal.media}), on its own listener, another origin than the queue's: the video
 * a result points at, public ({@code GET /files/{request_id}/output.mp4}, no key, no redirect). A client must not
 * send its key here; {@link FalSimulator} notes any request that carried one.
 */
final class FalFilesDialect extends FalDialect {


    FalFilesDialect(FalSimulator simulator) {
        super(simulator);
    }

    @Override
    public boolean needsKey() {
        return false;
    }

    @Override
    public LoopbackHttpServer.Reply answer(LoopbackHttpServer.Request request, Map<String, String> query) {
        List<String> segments = FalRequest.segments(request.path());
        boolean read = request.method().equals("GET") || request.method().equals("HEAD");
        if (read && segments.size() == 3 && segments.get(0).equals("files")) {
            SimulatedJob job = simulator.jobs().live(segments.get(1));
            if (job != null && job.dialect.equals(FalQueueDialect.DIALECT)
                    && job.status(System.currentTimeMillis()).equals("succeeded")) {
                return simulator.file(simulator.video(), "video/mp4");
            }
        }
        simulator.count("not-found");
        return FalReplies.detail(404, "File not found");
    }
}
