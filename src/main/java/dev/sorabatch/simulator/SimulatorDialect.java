package dev.sorabatch.simulator;

import java.util.Map;

/**
 * One service's protocol on the simulator: its paths, its key header, its error shapes. The simulator does the rest
 * for every dialect alike (latency, the key check, injected faults, the quota, lost answers, the job table), in
 * that order, and hands the dialect only what is left to answer.
 */
public interface SimulatorDialect {

    /** The ways a request can fail before the dialect sees it; each dialect words them as its service does. */
    enum Fault {
        /** 500: the server broke. */
        SERVER_ERROR,
        /** 503: the service is overloaded or restarting. */
        UNAVAILABLE,
        /** 429 injected: another client on the same quota. */
        THROTTLED,
        /** 429 from {@code sora.simulator.requests-per-minute}. */
        QUOTA,
        /** 504: a gateway gave up on a create the service went on to make (a lost answer). */
        GATEWAY_TIMEOUT
    }

    /** Whether the request is this dialect's; the first dialect that says so gets it. */
    boolean serves(LoopbackHttpServer.Request request);

    /** False for a listener anyone may call (a CDN serving public files): no key is asked, none is checked. */
    default boolean needsKey() {
        return true;
    }

    /** The key the request carries, where this service expects it, or null. */
    String presentedKey(LoopbackHttpServer.Request request);

    LoopbackHttpServer.Reply unauthorized(LoopbackHttpServer.Request request);

    /** An answer given before any fault or quota (an unknown path, an unsupported version), or null to go on. */
    default LoopbackHttpServer.Reply misdirected(LoopbackHttpServer.Request request, Map<String, String> query) {
        return null;
    }

    /** @param retryAfterSeconds the wait to announce, or null to announce none */
    LoopbackHttpServer.Reply fault(Fault fault, Integer retryAfterSeconds);

    LoopbackHttpServer.Reply answer(LoopbackHttpServer.Request request, Map<String, String> query);
}
