package dev.sorabatch.job;

import dev.sorabatch.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.report.ReportWriter;

/**
 * Opens a run (which ledger rows are its own, how many jobs an earlier attempt left running) and closes it: a run
 * that did not complete still writes its report, marking unfinished rows, and keeps the stop's diagnosis in the
 * job repository's exit description.
 */
public class RunLifecycleListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(RunLifecycleListener.class);

    private final RunState run;
    private final RunPaths paths;
    private final Ledger ledger;
    private final Endpoints endpoints;
    private final ReportWriter reports;
    private final RunBudget budget;
    private final java.util.Map<String, java.math.BigDecimal> prices;

    public RunLifecycleListener(RunState run, RunPaths paths, Ledger ledger, Endpoints endpoints,
            ReportWriter reports, RunBudget budget, java.util.Map<String, java.math.BigDecimal> prices) {
        this.budget = budget;
        this.prices = prices;
        this.run = run;
        this.paths = paths;
        this.ledger = ledger;
        this.endpoints = endpoints;
        this.reports = reports;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        long runId = jobExecution.getJobInstanceId();
        run.begin(jobExecution, paths.output());
        UnansweredResends.open(jobExecution.getJobParameters(), runId, ledger, run);
        java.util.Map<String, Integer> inFlight = ledger.submittedByEndpoint(runId);
        endpoints.reset(inFlight);
        java.util.List<String> gone = endpoints.unknown(inFlight.keySet());
        if (!gone.isEmpty()) {
            // those jobs are paid for: polling them with another endpoint's key would lose them, so stop and say so
            run.abort(Messages.get("run.endpoint-gone", String.join(", ", gone), String.join(", ",
                    endpoints.names())));
        }
        org.springframework.batch.core.job.parameters.JobParameters parameters = jobExecution.getJobParameters();
        String maxCost = parameters.getString(SoraBatchJobConfiguration.MAX_COST);
        budget.limit(parameters.getLong(SoraBatchJobConfiguration.MAX_VIDEO_SECONDS),
                maxCost == null ? null : new java.math.BigDecimal(maxCost));
        budget.alreadySpent(ledger.costs().submittedSeconds(runId), ledger.costs().submitted(runId, prices),
                ledger.costs().budgetReached(runId));
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        if (run.isAborted()) {
            jobExecution.setExitStatus(jobExecution.getExitStatus().addExitDescription(run.abortDiagnosis()));
        }
        if (jobExecution.getStatus() != BatchStatus.COMPLETED) {
            try {
                run.reported(reports.write(run.runId(), paths.input(),
                        SoraBatchJobConfiguration.rowsOf(jobExecution.getJobParameters()), paths.report(), false,
                        run.startedAt()));
            } catch (Exception e) {
                log.error(Messages.get("run.report-not-written", paths.report(), e.toString()));
                jobExecution.setExitStatus(jobExecution.getExitStatus().and(ExitStatus.FAILED));
            }
        }
    }
}
