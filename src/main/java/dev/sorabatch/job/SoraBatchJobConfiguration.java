package dev.sorabatch.job;

import dev.sorabatch.ledger.LedgerSchema;
import dev.sorabatch.ledger.Ledger;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.support.CompositeItemProcessor;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import dev.sorabatch.config.SoraProperties;
import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.MalformedRowException;
import dev.sorabatch.csv.PromptCsvReader;
import dev.sorabatch.csv.RowSelection;
import dev.sorabatch.csv.RowValidator;
import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.files.CrashPoints;
import dev.sorabatch.report.ReportWriter;

/**
 * The job, top to bottom:
 *
 * <pre>
 * soraBatch
 *   ├─ split ─┬─ submit:  CSV reader → row validator → reuse by content → submit writer (ledger, in-flight caps)
 *   │         └─ collect: poll due jobs → download → ledger (frees slots)
 *   └─ report: one CSV line per input row, written atomically
 * </pre>
 *
 * The two steps hand off through the ledger, so the in-flight window stays full and no row waits for a slower one.
 */
@Configuration
public class SoraBatchJobConfiguration {

    public static final String JOB_NAME = "soraBatch";
    public static final String INPUT_PATH = "input.path";
    public static final String INPUT_SHA256 = "input.sha256";
    public static final String RUN_NUMBER = "run";
    /** A scheduled run's identity: the date of its tick (with the time when the schedule ticks more than daily). */
    public static final String RUN_DATE = "run.date";
    /** {@code --rows}: the rows a run is limited to, in canonical form ({@code 2,4-5}); absent for every row. */
    public static final String ROWS = "rows";
    /** Where the run's report goes: not identifying, kept by a resumed run, shown by {@code status}. */
    public static final String REPORT_PATH = "report.path";
    /** Where the run's videos go: not identifying, kept by a resumed run (one run, one folder). */
    public static final String OUTPUT_PATH = "output.path";
    /** {@code --max-video-seconds} and {@code --max-cost} of this attempt: not identifying. */
    public static final String MAX_VIDEO_SECONDS = "budget.max-video-seconds";
    public static final String MAX_COST = "budget.max-cost";

    /** The rows of the run with these parameters ({@code --rows}), or null for every row. */
    public static RowSelection rowsOf(JobParameters parameters) {
        String rows = parameters.getString(ROWS);
        return rows == null ? null : RowSelection.parse(rows);
    }

    @Bean
    public Job soraBatchJob(JobRepository jobRepository, Flow submitAndCollect, Step reportStep,
            RunLifecycleListener runLifecycleListener) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .start(submitAndCollect)
                .next(reportStep)
                .end()
                .listener(runLifecycleListener)
                .build();
    }

    @Bean
    public Flow submitAndCollect(Step submitStep, Step collectStep) {
        Flow submit = new FlowBuilder<SimpleFlow>("submitFlow").start(submitStep).build();
        Flow collect = new FlowBuilder<SimpleFlow>("collectFlow").start(collectStep).build();
        return new FlowBuilder<SimpleFlow>("submitAndCollect")
                .split(splitExecutor())
                .add(submit, collect)
                .build();
    }

    /**
     * The split's steps run on threads of their own, where Spring Batch has no job context: each is handed the
     * job execution of the thread that starts it, so that job-scoped beans ({@link RunPaths}) resolve there too.
     */
    private static SimpleAsyncTaskExecutor splitExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("sora-step-");
        executor.setTaskDecorator(task -> {
            var context = JobSynchronizationManager.getContext();
            if (context == null) {
                return task;
            }
            var execution = context.getJobExecution();
            return () -> {
                JobSynchronizationManager.register(execution);
                try {
                    task.run();
                } finally {
                    JobSynchronizationManager.release();
                }
            };
        });
        return executor;
    }

    /**
     * {@code sora.submit-chunk} rows per chunk (default 1: the reader's position is committed with every row). A
     * larger chunk commits the step's bookkeeping less often, which matters for 100,000-row runs; it is just as
     * safe, because what was paid for is in the ledger, written at once for each row: a chunk rolled back by a
     * crash or a stop is read again on restart and every row it had already submitted is a no-op. Re-running after
     * a completed submit is allowed and cheap for the same reason.
     */
    @Bean
    public Step submitStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PromptCsvReader promptCsvReader, RowValidator rowValidator, SubmitWriter submitWriter,
            SkippedRowRecorder skippedRowRecorder, SplitStops splitStops, Endpoints endpoints, RunState runState,
            ReuseDecider reuseDecider, BudgetGate budgetGate,
            @Value("${sora.submit-chunk:1}") int chunkSize) {
        return new StepBuilder("submit", jobRepository)
                .<CsvRow, VideoRequest>chunk(Math.max(1, chunkSize))
                .transactionManager(transactionManager)
                .reader(promptCsvReader)
                // validated; a row an earlier run delivered goes no further (ReuseDecider); past the budget, a skip
                .processor(new CompositeItemProcessor<CsvRow, VideoRequest>(rowValidator, reuseDecider, budgetGate))
                .writer(submitWriter)
                .faultTolerant()
                .skip(InvalidRowException.class, MalformedRowException.class, BudgetGate.BudgetReachedException.class)
                .skipLimit(Long.MAX_VALUE)
                .skipListener(skippedRowRecorder)
                .interruptionPolicy(new SlotGate(endpoints, runState))
                .listener(splitStops.submissionEnd())
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    public Step collectStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CollectTasklet collectTasklet, SplitStops splitStops) {
        return new StepBuilder("collect", jobRepository)
                .tasklet(collectTasklet, transactionManager)
                .listener((org.springframework.batch.core.listener.StepExecutionListener) collectTasklet)
                .listener(splitStops.collectionEnd())
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    public Step reportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReportWriter reportWriter, RunState runState, RunPaths runPaths) {
        return new StepBuilder("report", jobRepository)
                .tasklet((contribution, context) -> {
                    runState.reported(reportWriter.write(runState.runId(), runPaths.input(),
                            rowsOf(contribution.getStepExecution().getJobParameters()), runPaths.report(), true,
                            runState.startedAt()));
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    @StepScope
    public PromptCsvReader promptCsvReader(@Value("#{jobParameters['" + INPUT_PATH + "']}") String input,
            @Value("#{jobParameters['" + ROWS + "']}") String rows) {
        return new PromptCsvReader(Path.of(input), rows == null ? null : RowSelection.parse(rows));
    }

    @Bean
    public RowValidator rowValidator(SoraProperties properties, dev.sorabatch.config.ServiceChoice serviceChoice) {
        return new RowValidator(serviceChoice.rowDefaults(properties));
    }

    @Bean
    public SubmitWriter submitWriter(Ledger ledger, FileNameRegistry fileNames, Endpoints endpoints,
            RunState runState, VideoSubmitter videoSubmitter, PollPlanner pollPlanner, RunBudget runBudget,
            SoraProperties properties, CrashPoints crashPoints) {
        return new SubmitWriter(ledger, fileNames, endpoints, runState, videoSubmitter, pollPlanner, runBudget,
                properties.systemicFailureThreshold(), crashPoints);
    }

    @Bean
    public PollPlanner pollPlanner(SoraProperties properties, Endpoints endpoints) {
        return new PollPlanner(properties.poll().interval(), properties.poll().minStep(), properties.poll().adaptive(),
                endpoints.quota(properties.requestsPerMinute()));
    }

    @Bean
    public VideoSubmitter videoSubmitter(Ledger ledger, RunState runState, SoraProperties properties) {
        return new VideoSubmitter(new OrphanFinder(ledger), runState, properties.poll().interval(),
                properties.jobTimeout(), properties.retry().orphanSettle());
    }

    @Bean
    public CollectTasklet collectTasklet(Ledger ledger, Endpoints endpoints, RunState runState,
            VideoSubmitter videoSubmitter, PollPlanner pollPlanner, SoraProperties properties,
            CrashPoints crashPoints) {
        return new CollectTasklet(ledger, endpoints, runState, videoSubmitter, pollPlanner,
                new CollectTasklet.Timing(properties.poll().interval(), properties.poll().tick(),
                        properties.jobTimeout(), properties.jobRetention(), properties.retry().maxDownloadRounds(),
                        properties.downloadThreads()), crashPoints);
    }

    /** Fault injection for the never-pay-twice tests ({@code sora.fault.crash-at}); inert unless that is set. */
    @Bean
    public CrashPoints crashPoints(@Value("${sora.fault.crash-at:}") String crashAt) {
        return CrashPoints.of(crashAt);
    }

    @Bean
    public BudgetGate budgetGate(RunBudget runBudget, Ledger ledger, RunState runState) {
        return new BudgetGate(runBudget, ledger, runState);
    }

    @Bean
    public SplitStops splitStops(RunState runState, ObjectProvider<JobOperator> jobOperator,
            JobRepository jobRepository, Ledger ledger, Endpoints endpoints) {
        return new SplitStops(runState, jobOperator, jobRepository, new InFlightCancels(ledger, endpoints));
    }

    @Bean
    public SkippedRowRecorder skippedRowRecorder(Ledger ledger, RunState runState) {
        return new SkippedRowRecorder(ledger, runState);
    }

    @Bean
    public RunLifecycleListener runLifecycleListener(RunState runState, RunPaths runPaths, Ledger ledger,
            Endpoints endpoints, ReportWriter reportWriter, RunBudget runBudget,
            dev.sorabatch.config.PricingProperties pricing) {
        return new RunLifecycleListener(runState, runPaths, ledger, endpoints, reportWriter, runBudget,
                pricing.getPerSecond());
    }

    @Bean
    public Ledger ledger(DataSource dataSource, PlatformTransactionManager transactionManager) {
        LedgerSchema.migrate(dataSource);
        return new Ledger(new JdbcTemplate(dataSource), transactionManager);
    }

    /** Takes the ledger so that the schema (made with it) exists first. */
    @Bean
    public FileNameRegistry fileNameRegistry(Ledger ledger, DataSource dataSource,
            PlatformTransactionManager transactionManager) {
        return new FileNameRegistry(new JdbcTemplate(dataSource), transactionManager, ledger);
    }

    @Bean
    public ReportWriter reportWriter(Ledger ledger, dev.sorabatch.config.PricingProperties pricing) {
        return new ReportWriter(ledger, new dev.sorabatch.report.HtmlReportWriter(), pricing.getPerSecond());
    }

    @Bean
    public RunState runState() {
        return new RunState();
    }

    @Bean
    public RunBudget runBudget(dev.sorabatch.pricing.RowPrices rowPrices) {
        return new RunBudget(rowPrices);
    }

    /** The prices of this run's rows: the built-in table, completed or replaced by {@code sora.pricing.*}. */
    @Bean
    public dev.sorabatch.pricing.RowPrices rowPrices(dev.sorabatch.config.PricingProperties pricing,
            dev.sorabatch.config.ServiceChoice serviceChoice) {
        dev.sorabatch.pricing.Prices prices = new dev.sorabatch.pricing.Prices(
                dev.sorabatch.pricing.PriceTable.builtIn(), pricing.getPerSecond(), pricing.perSecondOfModels());
        return new dev.sorabatch.pricing.RowPrices(prices, serviceChoice.provider().id(), serviceChoice.model());
    }

    /** Where this run reads and writes: from its job parameters, so a resumed run writes where it first did. */
    @Bean
    @JobScope
    public RunPaths runPaths(@Value("#{jobParameters['" + INPUT_PATH + "']}") String input,
            @Value("#{jobParameters['" + OUTPUT_PATH + "']}") String output,
            @Value("#{jobParameters['" + REPORT_PATH + "']}") String report) {
        Path out = Path.of(output == null ? "output" : output);
        return new RunPaths(Path.of(input), out, report == null ? out.resolve("report.csv") : Path.of(report));
    }

    @Bean
    public Endpoints endpoints() {
        return new Endpoints();
    }
}
