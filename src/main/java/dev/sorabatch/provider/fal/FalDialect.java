package dev.sorabatch.provider.fal;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatorDialect;

/**
 * What the simulated fal's three listeners have in common: each speaks one dialect (it serves every path), asks the
 * key as {@code Authorization: Key …}, and words faults as fal's ingress and platform do.
 */
abstract class FalDialect implements SimulatorDialect {

    protected final FalSimulator simulator;

    FalDialect(FalSimulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public boolean serves(LoopbackHttpServer.Request request) {
        return true;
    }

    @Override
    public String presentedKey(LoopbackHttpServer.Request request) {
        return FalReplies.presentedKey(request);
    }

    @Override
    public LoopbackHttpServer.Reply unauthorized(LoopbackHttpServer.Request request) {
        return FalReplies.unauthorized(request);
    }

    @Override
    public LoopbackHttpServer.Reply fault(Fault fault, Integer retryAfterSeconds) {
        return FalReplies.fault(simulator.faults(), fault, retryAfterSeconds);
    }
}
