package dev.sorabatch.job;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.ledger.Ledger;

/**
 * {@code --max-video-seconds} and {@code --max-cost} as the submit step's last processor: a row that would go past
 * the budget is a skip (Spring Batch counts it, the skip listener records why), and once one row is refused
 * every later one is, so the run never spends past the limit. A row this run already recorded (a resumed attempt)
 * was accounted for when the attempt began and passes.
 */
final class BudgetGate implements ItemProcessor<VideoRequest, VideoRequest> {

    /** Skippable: the row is not sent and is reported SKIPPED with the budget it would have gone past. */
    static final class BudgetReachedException extends RuntimeException {

        private final transient VideoRequest request;

        BudgetReachedException(VideoRequest request, String refusal) {
            super(refusal);
            this.request = request;
        }

        VideoRequest request() {
            return request;
        }
    }

    private final RunBudget budget;
    private final Ledger ledger;
    private final RunState run;

    BudgetGate(RunBudget budget, Ledger ledger, RunState run) {
        this.budget = budget;
        this.ledger = ledger;
        this.run = run;
    }

    @Override
    public VideoRequest process(VideoRequest request) {
        if (ledger.find(run.runId(), request.rowNumber()).isPresent()) {
            return request;
        }
        String refusal = budget.admit(request);
        if (refusal != null) {
            throw new BudgetReachedException(request, refusal);
        }
        return request;
    }
}
