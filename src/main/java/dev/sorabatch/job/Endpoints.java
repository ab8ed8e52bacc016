package dev.sorabatch.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;


/**
 * The endpoints a run sends its rows to, chosen by the command line before the job starts (the service, several
 * Azure resources or deployments, or the simulator), and the jobs each has running. Each endpoint has its own
 * in-flight cap; a row goes to the endpoint in rotation with the most free room, and waits when all are full.
 * An endpoint that fails systemically is taken out of rotation with its diagnosis while the others go on. Steps
 * ask for an endpoint when they run, not when they are built.
 */
public class Endpoints {

    /** The single endpoint of a run configured the usual way (no {@code sora.endpoints} list). */
    public static final String DEFAULT = "default";

    /** One endpoint: its name (as recorded in the ledger for each job), its connection and its in-flight cap. */
    public record Endpoint(String name, ServiceConnection connection, int capacity) {
        public Endpoint {
            if (capacity < 1) {
                throw new IllegalArgumentException("the in-flight cap of endpoint " + name + " must be at least 1, "
                        + "was " + capacity);
            }
        }
    }

    private List<Endpoint> endpoints = List.of();
    private int[] used = new int[0];
    private String[] outOfRotation = new String[0];

    /** A run against one endpoint, capped at {@code capacity} jobs in flight. */
    public void use(ServiceConnection connection, int capacity) {
        use(List.of(new Endpoint(DEFAULT, connection, capacity)));
    }

    public synchronized void use(List<Endpoint> configured) {
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("at least one endpoint is needed");
        }
        endpoints = List.copyOf(configured);
        used = new int[endpoints.size()];
        outOfRotation = new String[endpoints.size()];
        notifyAll();
    }

    public synchronized List<Endpoint> all() {
        return endpoints;
    }

    /**
     * The endpoint a job was sent to. A job recorded without a name (an earlier version, which had one endpoint)
     * goes to the first endpoint.
     *
     * @throws IllegalStateException for a name this configuration does not have: polling that job with another
     *     endpoint's key would fail or reach the wrong resource ({@link #unknown} tells it at the start instead)
     */
    public synchronized Endpoint endpoint(String name) {
        if (endpoints.isEmpty()) {
            throw new IllegalStateException("no endpoint configured");
        }
        if (name == null) {
            return endpoints.get(0);
        }
        int i = index(name);
        if (i < 0) {
            throw new IllegalStateException("endpoint '" + name + "' is not configured; configured: " + names());
        }
        return endpoints.get(i);
    }

    /** The names among {@code recorded} (endpoints jobs were sent to) that this configuration does not have. */
    public synchronized List<String> unknown(java.util.Collection<String> recorded) {
        return recorded.stream().filter(name -> name != null && index(name) < 0).sorted().toList();
    }

    public synchronized List<String> names() {
        return endpoints.stream().map(Endpoint::name).toList();
    }

    /**
     * At the start of a run: jobs already submitted by an earlier attempt hold their slots, per endpoint (those
     * recorded without a name on the first; under an unknown name on none — the run is stopped for them).
     */
    public synchronized void reset(Map<String, Integer> inFlightByEndpoint) {
        java.util.Arrays.fill(used, 0);
        inFlightByEndpoint.forEach((name, count) -> {
            int i = name == null ? 0 : index(name);
            if (i >= 0) {
                used[i] += count;
            }
        });
        java.util.Arrays.fill(outOfRotation, null);
        notifyAll();
    }

    /**
     * Waits up to {@code patience} for a free slot on an endpoint in rotation and takes it on the one with the most
     * free room; null when none came free in time (or none is in rotation).
     */
    public synchronized Endpoint tryAcquire(Duration patience) throws InterruptedException {
        return awaitFree(patience) ? take() : null;
    }

    /**
     * Waits up to {@code patience} until a slot is free on an endpoint in rotation, without taking it (the submit
     * step's chunk boundary, where it also looks for a stop, before reading the next row).
     *
     * @return true when one is free, false when none came free in time (or none is in rotation)
     */
    public synchronized boolean awaitFree(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (roomiest() < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !anyInRotation()) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private Endpoint take() {
        int best = roomiest();
        used[best]++;
        return endpoints.get(best);
    }

    /** The endpoint in rotation with the most free room, or -1 when every one is full. */
    private int roomiest() {
        int best = -1;
        for (int i = 0; i < endpoints.size(); i++) {
            int free = endpoints.get(i).capacity() - used[i];
            if (outOfRotation[i] == null && free > 0 && (best < 0 || free > endpoints.get(best).capacity() - used[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Jobs in flight now, on every endpoint (the metrics' gauge). */
    public synchronized int inFlight() {
        int sum = 0;
        for (int n : used) {
            sum += n;
        }
        return sum;
    }

    /**
     * The request budget the poll planner may spend, and the slots sharing it: each endpoint has its own quota
     * ({@code requestsPerMinute}, 0 = none) and cap.
     */
    public PollPlanner.Quota quota(int requestsPerMinute) {
        return new PollPlanner.Quota() {
            public double requestsPerSecond() {
                return requestsPerMinute <= 0 ? 0 : requestsPerMinute / 60.0 * Math.max(1, all().size());
            }

            public int inFlightCap() {
                return all().stream().mapToInt(Endpoint::capacity).sum();
            }
        };
    }

    /** A job found already running (adopted after a crash): it holds a slot whether or not one is free. */
    public synchronized void occupy(String name) {
        int i = slot(name);
        if (i >= 0) {
            used[i]++;
        }
    }

    /** Takes a slot on this endpoint if one is free (and it is in rotation), without waiting. */
    public synchronized boolean tryOccupy(String name) {
        int i = slot(name);
        if (i < 0 || outOfRotation[i] != null || used[i] >= endpoints.get(i).capacity()) {
            return false;
        }
        used[i]++;
        return true;
    }

    public synchronized void release(String name) {
        int i = slot(name);
        if (i >= 0 && used[i] > 0) {
            used[i]--;
        }
        notifyAll();
    }

    /**
     * Takes an endpoint out of rotation (its key, deployment or address is wrong): no more rows go to it.
     *
     * @return true if other endpoints remain in rotation
     */
    public synchronized boolean takeOutOfRotation(String name, String diagnosis) {
        int i = slot(name);
        if (i >= 0) {
            outOfRotation[i] = diagnosis;
        }
        notifyAll();
        return anyInRotation();
    }

    public synchronized boolean anyInRotation() {
        for (String reason : outOfRotation) {
            if (reason == null) {
                return true;
            }
        }
        return false;
    }

    /** Why each endpoint out of rotation is out: "name: diagnosis" lines. */
    public synchronized List<String> outOfRotation() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            if (outOfRotation[i] != null) {
                out.add(endpoints.get(i).name() + ": " + outOfRotation[i]);
            }
        }
        return out;
    }

    /** The position of a job's endpoint: the first for a job recorded without a name; -1 for an unknown name. */
    private int slot(String name) {
        return name == null ? 0 : index(name);
    }

    private int index(String name) {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
