package dev.sorabatch.job;

import java.util.Objects;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;

/**
 * {@code sora.systemic-failure-threshold}: so many creates in a row refused the same way (same HTTP status and
 * code, not a 429) mean the cause is not the rows: the run stops with one diagnosis instead of failing the rest
 * one by one. Not a Spring Batch {@code SkipPolicy}: those rows are not skipped, they are sent and fail, and are
 * reported FAILED with the service's answer; what the streak decides is whether the step goes on.
 */
final class FailureStreak {

    private final int threshold;
    private String lastSignature;
    private int length;

    FailureStreak(int threshold) {
        this.threshold = threshold;
    }

    /** A create succeeded: the streak is broken. */
    void broken() {
        lastSignature = null;
        length = 0;
    }

    /** @return the run's stop diagnosis when this failure completes a streak, else null */
    String failed(ServiceException e, String diagnosis) {
        String signature = e.operation() + "|" + e.httpStatus() + "|" + e.errorCode();
        if (e.httpStatus() > 0 && e.httpStatus() != 429 && Operation.CREATE.label().equals(e.operation())
                && Objects.equals(signature, lastSignature)) {
            length++;
        } else {
            length = 1;
        }
        lastSignature = signature;
        return threshold > 0 && length >= threshold
                ? Messages.get("run.systemic", length, Diagnoses.received(e), diagnosis)
                : null;
    }
}
