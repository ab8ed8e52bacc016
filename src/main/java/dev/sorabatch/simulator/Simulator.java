package dev.sorabatch.simulator;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for a video service, on loopback ports, so that {@code --simulate} runs and tests leave
 * nothing to the network. What every service has in common is here: the listeners, the jobs and their state file,
 * injected faults, the quota, the cap on running jobs, latency, lost answers, the counters tests read, and image
 * URLs answered locally (any path under {@link #IMAGE_PATH}). What a service says on the wire is its
 * {@link SimulatorDialect}, given by a subclass in the provider's package.
 *
 * <p>Prompt markers make outcomes deterministic for demos and tests: {@code [fail]} ends the job with an internal
 * error, {@code [stuck]} keeps it running forever, and any of {@code blockedWords} (default {@code [moderation]})
 * fails it on moderation.
 */
public class Simulator implements AutoCloseable {

    public static final String IMAGE_PATH = "/_images";

    private final SimulatorSettings settings;
    private final String apiKey;
    private final Counters counters = new Counters();
    private final Faults faults;
    private final JobTable jobs;
    private final SimulatedImages images = new SimulatedImages();
    private final String lastModified;
    private final List<SimulatorDialect> dialects = new ArrayList<>();
    private final List<LoopbackHttpServer> listeners = new CopyOnWriteArrayList<>();
    private final ListenerPorts ports;
    private LoopbackHttpServer server;
    private volatile boolean keyRevoked;

    protected Simulator(SimulatorSettings settings, String apiKey) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.faults = new Faults(settings, counters);
        this.jobs = new JobTable(settings, counters);
        this.ports = new ListenerPorts(settings.getStateFile());
        this.lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** Adds a dialect the main listener speaks; a request goes to the first that serves it, else to the last. */
    protected final void speak(SimulatorDialect dialect) {
        dialects.add(dialect);
    }

    /** Starts listening on a loopback port: the one it had last time when it keeps a state file, else a free one. */
    public Simulator start() {
        return start(0);
    }

    /** @param port 0: as {@link #start()} */
    public Simulator start(int port) {
        jobs.load();
        LoopbackHttpServer.Handler handler = pipeline(List.copyOf(dialects));
        server = port == 0 ? ports.open(handler) : new LoopbackHttpServer(handler).start(port);
        return this;
    }

    /** Another listener (another origin), closed with the simulator; returns its base URL. */
    protected final String listen(LoopbackHttpServer.Handler handler) {
        LoopbackHttpServer listener = ports.open(handler);
        listeners.add(listener);
        return "http://" + listener.host() + ":" + listener.port();
    }

    /** What every request goes through, in order, before the dialect answers it. */
    protected final LoopbackHttpServer.Handler pipeline(List<SimulatorDialect> speaking) {
        return request -> {
            Wire.pause(settings.getLatency().toMillis());
            String path = request.path();
            if (path.startsWith(IMAGE_PATH + "/")) {
                counters.count("image");
                return images.reply(path);
            }
            SimulatorDialect dialect = speaking.stream().filter(d -> d.serves(request)).findFirst()
                    .orElse(speaking.get(speaking.size() - 1));
            if (dialect.needsKey() && (keyRevoked || !apiKey.equals(dialect.presentedKey(request)))) {
                counters.count("unauthorized");
                return dialect.unauthorized(request);
            }
            Map<String, String> query = Wire.query(request.rawQuery());
            LoopbackHttpServer.Reply early = dialect.misdirected(request, query);
            if (early != null) {
                return early;
            }
            LoopbackHttpServer.Reply fault = faults.inject(dialect);
            if (fault != null) {
                return fault;
            }
            Integer retryAfter = faults.quotaExceeded();
            if (retryAfter != null) {
                counters.count("throttled");
                return dialect.fault(SimulatorDialect.Fault.QUOTA, retryAfter);
            }
            return dialect.answer(request, query);
        };
    }

    /** A download: counted, sometimes cut short (the truncated-download fault). */
    public LoopbackHttpServer.Reply file(byte[] body, String contentType) {
        counters.count("download");
        counters.downloaded();
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.body = body;
        reply.header("Content-Type", contentType).header("last-modified", lastModified).header("accept-ranges", "bytes");
        if (faults.truncatesDownload()) {
            counters.count("truncated");
            reply.truncate = true;
        }
        return reply;
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public JobTable jobs() {
        return jobs;
    }

    public Faults faults() {
        return faults;
    }

    public void count(String kind) {
        counters.count(kind);
    }

    /** The main listener's base URL (for Azure, what a user would put in {@code AZURE_SORA_ENDPOINT}). */
    public String baseUrl() {
        return "http://" + server.host() + ":" + server.port();
    }

    public String apiKey() {
        return apiKey;
    }

    /** The simulated resource's request quota (0: none). */
    public int requestsPerMinute() {
        return settings.getRequestsPerMinute();
    }

    /** Every create that produced a job, in order (what would have been paid for). */
    public List<String> createdPrompts() {
        return jobs.createdPrompts();
    }

    public int requestCount(String kind) {
        return counters.requestCount(kind);
    }

    /** Time from the first create to the last download the simulator saw: the span a run kept it busy. */
    public Duration busySpan() {
        return counters.busySpan();
    }

    /**
     * {@link System#nanoTime()} of the first create and of the last download (0 before any), so that the spans of
     * several simulators in one JVM can be joined: from the earliest first create to the latest last download.
     */
    public long firstCreateNanos() {
        return counters.firstCreateNanos();
    }

    public long lastDownloadNanos() {
        return counters.lastDownloadNanos();
    }

    /** Every request answered, of every kind. */
    public int totalRequests() {
        return counters.totalRequests();
    }

    /** Forgets every job, as the service does once it stops keeping them: later polls and downloads get 404. */
    public void expireAllJobs() {
        jobs.expireAll();
    }

    /** The most jobs that were running at the same time. */
    public int maxConcurrentJobs() {
        return counters.maxConcurrentJobs();
    }

    /** Simulates the key being rotated at the service: every later call gets 401. */
    public void revokeKey(boolean revoked) {
        this.keyRevoked = revoked;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        listeners.forEach(LoopbackHttpServer::close);
    }
}
