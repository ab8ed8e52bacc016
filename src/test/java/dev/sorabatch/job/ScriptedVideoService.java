package dev.sorabatch.job;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;

import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.Provider;
import dev.sorabatch.service.ServiceDiagnoses;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.ServiceTraits;
import dev.sorabatch.service.VideoJob;
import dev.sorabatch.service.VideoService;

/**
 * A video service whose creates answer as scripted, one step per create; a step that throws after making a job
 * (a lost answer) puts that job in the listing first.
 */
final class ScriptedVideoService implements VideoService {

    private final Deque<Function<CreateVideoRequest, VideoJob>> script = new ArrayDeque<>();
    private final List<VideoJob> listed = new ArrayList<>();
    final List<CreateVideoRequest> creates = new ArrayList<>();
    final List<Long> createdAtNanos = new ArrayList<>();
    int listings;
    private ServiceException listFault;

    ScriptedVideoService answering(VideoJob job) {
        return step(sent -> job);
    }

    ScriptedVideoService failing(ServiceException answer) {
        return step(sent -> {
            throw answer;
        });
    }

    /** A create that makes {@code made} at the service, whose answer is then lost as {@code lost}. */
    ScriptedVideoService losing(ServiceException lost, VideoJob made) {
        return step(sent -> {
            listed.add(0, made);
            throw lost;
        });
    }

    /** The next listing fails so. */
    ScriptedVideoService failingListsOnce(ServiceException fault) {
        listFault = fault;
        return this;
    }

    /** A job that shows in the listing from now on (one made by a create whose answer came back as an error). */
    ScriptedVideoService listing(VideoJob made) {
        listed.add(0, made);
        return this;
    }

    private ScriptedVideoService step(Function<CreateVideoRequest, VideoJob> step) {
        script.add(step);
        return this;
    }

    @Override
    public VideoJob create(CreateVideoRequest request) {
        creates.add(request);
        createdAtNanos.add(System.nanoTime());
        Function<CreateVideoRequest, VideoJob> step = script.poll();
        if (step == null) {
            throw new AssertionError("create " + creates.size() + " was not expected");
        }
        return step.apply(request);
    }

    @Override
    public List<VideoJob> list(int limit) {
        listings++;
        if (listFault != null) {
            ServiceException fault = listFault;
            listFault = null;
            throw fault;
        }
        return List.copyOf(listed.subList(0, Math.min(limit, listed.size())));
    }

    @Override
    public Provider provider() {
        return Provider.OPENAI_VIDEOS;
    }

    @Override
    public ServiceTraits traits() {
        return new ServiceTraits(true, false, EnumSet.of(ServiceTraits.Input.TEXT, ServiceTraits.Input.SIZE,
                ServiceTraits.Input.DURATION), null, null, false);
    }

    @Override
    public String deployment() {
        return "sora-2";
    }

    @Override
    public String describe() {
        return "a scripted service";
    }

    @Override
    public ServiceDiagnoses diagnoses() {
        throw new UnsupportedOperationException();
    }

    @Override
    public VideoJob get(String jobId, String handle) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void cancel(String jobId, String handle) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long download(String generationId, ContentKind kind, Path target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String extension(ContentKind kind) {
        return "mp4";
    }
}
