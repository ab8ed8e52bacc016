package dev.sorabatch.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.http.NetworkFaults;
import dev.sorabatch.service.ReferenceImage;
import dev.sorabatch.service.Retrier;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.ServiceTraits;
import dev.sorabatch.service.VideoJob;

/**
 * Gets one row's video job created, paying at most once: fetches its image, sends the create (retrying
 * transient faults), waits while the service is full, and, when an answer was lost after the request may have
 * arrived, looks for the job among the service's recent ones before sending the create again.
 */
public class VideoSubmitter {

    private static final Logger log = LoggerFactory.getLogger(VideoSubmitter.class);

    /** A created job, or one adopted (made by an earlier create whose answer was lost). */
    public record Submission(VideoJob job, boolean adopted) {
    }

    private final OrphanFinder orphans;
    private final RunState run;
    private final Duration serviceFullPause;
    private final Duration serviceFullPatience;
    private final Duration orphanSettle;
    /** A parked row's create may land until then (run:row); kept so that looking again does not extend it. */
    private final Map<String, Instant> settling = new ConcurrentHashMap<>();
    /** A lost answer's job is looked for this soon, at a service that lists its jobs. */
    private static final Duration FIRST_LOOK = Duration.ofSeconds(1);
    /** Told of each image fetched for a create (its hash is kept, for reuse by content). */
    private volatile java.util.function.BiConsumer<VideoRequest, ReferenceImage> imageFetched = (request, image) -> { };

    public VideoSubmitter(OrphanFinder orphans, RunState run, Duration serviceFullPause, Duration serviceFullPatience,
            Duration orphanSettle) {
        this.orphanSettle = orphanSettle;
        this.orphans = orphans;
        this.run = run;
        this.serviceFullPause = serviceFullPause;
        this.serviceFullPatience = serviceFullPatience;
    }

    public void onImageFetched(java.util.function.BiConsumer<VideoRequest, ReferenceImage> listener) {
        this.imageFetched = listener;
    }

    /**
     * A create went unanswered and its job may exist: the row is parked (its slot kept) and its orphan check comes
     * after {@link #settleTime()}, instead of this thread waiting for it.
     */
    public static class CreateUnanswered extends RuntimeException {
        CreateUnanswered(ServiceException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** How long an unanswered create is given to land before its job is looked for. */
    public Duration settleTime() {
        return orphanSettle;
    }

    /**
     * When to look first for the job of a create that just went unanswered: at a service that lists its jobs, soon
     * (a lost answer's job is usually listed at once, and is adopted then); elsewhere only once it settled.
     */
    public Instant firstLook(ServiceConnection sora, long runId, int row) {
        Instant settled = settledAt(runId, row);
        if (!sora.client().traits().listsJobs()) {
            return settled;
        }
        Instant soon = Instant.now().plus(FIRST_LOOK);
        return soon.isBefore(settled) ? soon : settled;
    }

    /**
     * Until when this row's unanswered create may still land (the settle counted from when it first went unanswered,
     * or, for a row parked by an earlier process, from now): before that, not finding its job proves nothing.
     */
    public Instant settledAt(long runId, int row) {
        return settling.computeIfAbsent(RowKey.of(runId, row), k -> Instant.now().plus(orphanSettle));
    }

    /** The row's unanswered create is resolved (adopted, sent again, or the row failed). */
    public void settled(long runId, int row) {
        settling.remove(RowKey.of(runId, row));
    }

    /**
     * @param sentAt   when this row's create was first sent (epoch ms), for matching an orphan
     * @param attempts counts the creates sent, also when this throws
     */
    public Submission submit(ServiceConnection sora, VideoRequest request, long sentAt, AtomicInteger attempts) {
        return submit(sora, request, sentAt, attempts, false);
    }

    /**
     * @param park when a create goes unanswered, throw {@link CreateUnanswered} rather than wait here for the orphan
     *             check; the row's creates (counted by {@code attempts}) stay within the retry policy's attempts
     */
    public Submission submit(ServiceConnection sora, VideoRequest request, long sentAt, AtomicInteger attempts,
            boolean park) {
        Retrier.Policy policy = sora.retrier().policy();
        Retrier retrier = !park ? sora.retrier() : new Retrier(new Retrier.Policy(Math.max(1,
                policy.maxAttempts() - attempts.get()), policy.initialDelay(), policy.maxDelay(), policy.maxRetryAfter()));
        // a service that fetches the image itself gets the URL as given; the others the checked bytes
        boolean byUrl = sora.client().traits().takes(ServiceTraits.Input.IMAGE_URL);
        ReferenceImage image = request.imageUrl() == null || byUrl ? null
                : sora.retrier().call(() -> sora.images().fetch(request.imageUrl(), run::isStopRequested),
                        (n, fault, pause) -> logRetry(request, fault, pause));
        if (image != null) {
            imageFetched.accept(request, image);
        }
        CreateVideoRequest toSend = toSend(request, image);
        AtomicBoolean mayExist = new AtomicBoolean(false);
        AtomicBoolean adopted = new AtomicBoolean(false);
        long[] failedAt = new long[1];
        VideoJob job = retrier.call(() -> {
            if (mayExist.get()) {
                // A request that timed out here may still be on its way to being processed there: give it time to
                // land before concluding it did not, or the next create would pay for the same video again. A job
                // created after that is not this row's.
                settle(failedAt[0]);
                Optional<VideoJob> orphan = orphans.find(sora.client(), toSend, sentAt, System.currentTimeMillis());
                if (orphan.isPresent()) {
                    adopted.set(true);
                    return orphan.get();
                }
            }
            attempts.incrementAndGet();
            try {
                return createWhenTheServiceHasRoom(sora, toSend, request);
            } catch (ServiceException e) {
                // A dropped answer, a gateway's 5xx or an unreadable 2xx may hide a created job: look for it
                // before sending the create again.
                mayExist.set(NetworkFaults.mayHaveBeenReceived(e) || e.httpStatus() >= 500
                        || e.httpStatus() >= 200 && e.httpStatus() < 300);
                failedAt[0] = System.nanoTime();
                if (park && mayExist.get() && e.isTransient() && attempts.get() < policy.maxAttempts()) {
                    throw new CreateUnanswered(e);
                }
                throw e;
            }
        }, (n, fault, pause) -> logRetry(request, fault, pause));
        return new Submission(job, adopted.get());
    }

    private void settle(long failedAtNanos) {
        long wait = failedAtNanos + orphanSettle.toNanos() - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Looks for a job this row's earlier, unanswered create produced, in a process that died while waiting: when it
     * gave up is not known, so any time up to now counts.
     *
     * @throws OrphanFinder.AmbiguousOrphanException when more than one job could be it
     */
    public Optional<VideoJob> findOrphan(ServiceConnection sora, VideoRequest request, long sentAt) {
        return orphans.find(sora.client(), toSend(request, null), sentAt, System.currentTimeMillis());
    }

    private static CreateVideoRequest toSend(VideoRequest request, ReferenceImage image) {
        return new CreateVideoRequest(request.prompt(), request.width(), request.height(), request.nSeconds(),
                request.nVariants(), image, request.model(), request.imageUrl(), request.inputs(),
                "row-" + request.rowNumber());
    }

    /**
     * "Too many running tasks" means the resource is running its maximum of jobs (another client, or jobs left by
     * an interrupted run): back-pressure, not an error. Wait for room, up to the job time-out.
     */
    private VideoJob createWhenTheServiceHasRoom(ServiceConnection sora, CreateVideoRequest toSend, VideoRequest request) {
        long deadline = System.nanoTime() + serviceFullPatience.toNanos();
        while (true) {
            try {
                return sora.client().create(toSend);
            } catch (ServiceException e) {
                if (!serviceIsFull(e) || System.nanoTime() > deadline || run.isAborted() || run.isStopRequested()) {
                    throw e;
                }
                Duration pause = e.retryAfter() != null ? e.retryAfter() : serviceFullPause;
                log.info(Messages.get("log.service-full", request.rowNumber(), label(request), pause.toMillis()));
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static boolean serviceIsFull(ServiceException e) {
        return e.httpStatus() == 429 && e.errorMessage() != null
                && e.errorMessage().toLowerCase(Locale.ROOT).contains("too many running tasks");
    }

    private static void logRetry(VideoRequest request, ServiceException fault, Duration pause) {
        log.info(Messages.get("log.row-retry", request.rowNumber(), label(request), fault.getMessage(),
                pause.toMillis()));
    }

    static String label(VideoRequest request) {
        return request.rowId() == null ? "" : " (" + request.rowId() + ")";
    }
}
