package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.sorabatch.job.SoraBatchJobConfiguration;

/**
 * What Spring Batch itself recorded of a run, read over plain JDBC from the job repository's tables (the way the
 * Spring Batch samples check a job): instances, executions with their status and exit code, and each step's
 * counts. Read after the command has ended, so that the test sees what a later run or {@code status} will see.
 */
final class JobRepositoryRecords {

    /** The key under which {@code PromptCsvReader} saves how many records it has read (its name + ".read.count"). */
    static final String READER_POSITION = "promptCsvReader.read.count";

    record Instance(long id, String jobName) {
    }

    record Execution(long id, long instanceId, String status, String exitCode, List<Step> steps) {

        /** The one execution of {@code name} in this job execution. */
        Step step(String name) {
            List<Step> named = steps.stream().filter(s -> s.name().equals(name)).toList();
            if (named.size() != 1) {
                throw new AssertionError("expected one step '" + name + "' in execution " + id + ", found " + steps);
            }
            return named.get(0);
        }
    }

    record Step(long id, String name, String status, String exitCode, long read, long write, long filter,
            long readSkip, long processSkip, long writeSkip, long commits, long rollbacks) {

        long skip() {
            return readSkip + processSkip + writeSkip;
        }
    }

    private final JdbcTemplate jdbc;

    private JobRepositoryRecords(String url) {
        this.jdbc = new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
    }

    /** The records of the job repository {@code run} used (an H2 file, user {@code sa}, no password). */
    static JobRepositoryRecords of(BatchRun run) {
        return new JobRepositoryRecords(run.repositoryUrl());
    }

    List<Instance> instances() {
        return jdbc.query("SELECT JOB_INSTANCE_ID, JOB_NAME FROM BATCH_JOB_INSTANCE ORDER BY JOB_INSTANCE_ID",
                (rs, i) -> new Instance(rs.getLong(1), rs.getString(2)));
    }

    /** Every job execution, oldest first, each with its step executions in the order they were created. */
    List<Execution> executions() {
        return jdbc.query("SELECT JOB_EXECUTION_ID, JOB_INSTANCE_ID, STATUS, EXIT_CODE FROM BATCH_JOB_EXECUTION"
                + " ORDER BY JOB_EXECUTION_ID", (rs, i) -> new Execution(rs.getLong(1), rs.getLong(2),
                        rs.getString(3), rs.getString(4), steps(rs.getLong(1))));
    }

    private List<Step> steps(long executionId) {
        return jdbc.query("SELECT STEP_EXECUTION_ID, STEP_NAME, STATUS, EXIT_CODE, READ_COUNT, WRITE_COUNT,"
                + " FILTER_COUNT, READ_SKIP_COUNT, PROCESS_SKIP_COUNT, WRITE_SKIP_COUNT, COMMIT_COUNT, ROLLBACK_COUNT"
                + " FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = ? ORDER BY STEP_EXECUTION_ID",
                (rs, i) -> new Step(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                        rs.getLong(12)),
                executionId);
    }

    /**
     * A step's execution context as it was last committed: what a restart of that step starts from. Decoded with
     * the serializer the job repository uses by default (Base64 of Java serialization).
     */
    Map<String, Object> context(Step step) throws Exception {
        String text = jdbc.queryForObject("SELECT COALESCE(SERIALIZED_CONTEXT, SHORT_CONTEXT)"
                + " FROM BATCH_STEP_EXECUTION_CONTEXT WHERE STEP_EXECUTION_ID = ?", String.class, step.id());
        return new DefaultExecutionContextSerializer()
                .deserialize(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * How many CSV records the submit step's reader had committed as read: where its restart goes on from. None
     * before its first chunk commits (the reader then starts at the first record, as on a first run).
     */
    int readerPosition(Step submit) throws Exception {
        Object position = context(submit).get(READER_POSITION);
        if (position == null && submit.commits() > 0) {
            throw new AssertionError("no " + READER_POSITION + " in the context of " + submit);
        }
        return position == null ? 0 : ((Number) position).intValue();
    }

    /**
     * One run (job instance) done in one attempt: a single execution COMPLETED, its submit, collect and report
     * steps each run once and COMPLETED.
     *
     * @return the submit step, for its counts
     */
    Step assertCompletedAtTheFirstAttempt() {
        assertThat(instances()).extracting(Instance::jobName).containsExactly(SoraBatchJobConfiguration.JOB_NAME);
        List<Execution> executions = executions();
        assertThat(executions).hasSize(1);
        assertCompleted(executions.get(0));
        return executions.get(0).step("submit");
    }

    /** A COMPLETED execution of the whole job: the split's two steps, then the report, each COMPLETED. */
    static void assertCompleted(Execution execution) {
        assertThat(execution.status()).isEqualTo("COMPLETED");
        assertThat(execution.exitCode()).isEqualTo("COMPLETED");
        assertThat(execution.steps()).extracting(Step::name).containsExactlyInAnyOrder("submit", "collect", "report");
        assertThat(execution.steps()).allSatisfy(s -> assertThat(s.status()).as(s.name()).isEqualTo("COMPLETED"));
    }

    /**
     * One run resumed once: one job instance, two executions, the first not completed (its status is the caller's
     * to check: FAILED, STOPPED), the second COMPLETED. The resumed submit step started from the reader position
     * its first attempt had committed, so it read only the rows left; unless that first submit step had
     * completed: then, being allowed to start again, it is started afresh, as Spring Batch does for a completed
     * step, and reads every row again (each one a no-op for the writer, which finds it in the ledger).
     *
     * @return the two executions, oldest first
     */
    List<Execution> assertResumedOnce(int rows) throws Exception {
        assertThat(instances()).hasSize(1);
        List<Execution> executions = executions();
        assertThat(executions).hasSize(2);
        assertThat(executions.get(0).status()).isNotEqualTo("COMPLETED");
        assertCompleted(executions.get(1));
        Step first = executions.get(0).step("submit");
        Step resumed = executions.get(1).step("submit");
        if (first.status().equals("COMPLETED")) {
            assertThat(resumed.read()).as("a completed submit step starts again from the first row").isEqualTo(rows);
        } else {
            int position = readerPosition(first);
            assertThat(position).as("records the first attempt committed as read").isLessThan(rows);
            assertThat(resumed.read()).as("rows left after record %d", position).isEqualTo(rows - position);
        }
        return executions;
    }
}
