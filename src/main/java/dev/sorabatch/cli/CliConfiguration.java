package dev.sorabatch.cli;

import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.sorabatch.config.ServiceChoice;
import dev.sorabatch.config.SoraProperties;
import dev.sorabatch.csv.RowValidator;
import dev.sorabatch.job.Endpoints;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.job.RunBudget;
import dev.sorabatch.job.RunHistory;
import dev.sorabatch.job.RunLauncher;
import dev.sorabatch.job.RunLock;
import dev.sorabatch.job.RunState;
import dev.sorabatch.simulator.SimulatorSettings;

/** The command line's collaborators. */
@Configuration
public class CliConfiguration {

    @Bean
    public SoraBatchCommand soraBatchCommand(SoraConnectionFactory connections, SimulatorSettings simulatorSettings,
            Endpoints endpoints, RunLauncher runLauncher, RunState runState,
            Ledger ledger, JobOperator jobOperator,
            @Value("${sora.shutdown-grace:30s}") Duration shutdownGrace, RowValidator rowValidator,
            dev.sorabatch.pricing.RowPrices rowPrices, SoraProperties properties, RunBudget runBudget,
            ProgressDisplay progressDisplay, RunHistory runHistory,
            @Value("${spring.datasource.url:}") String repositoryUrl) {
        SoraBatchCommand command = new SoraBatchCommand(connections, simulatorSettings, endpoints, runLauncher, runState,
                ledger, jobOperator, shutdownGrace, rowValidator, rowPrices, properties, runBudget,
                progressDisplay, runHistory);
        command.keepStatusFilesFor(repositoryUrl);
        return command;
    }

    /** What {@code status} lists: read only (the lock is only looked at, never taken). */
    @Bean
    public RunHistory runHistory(JobRepository jobRepository, Ledger ledger, RunLock runLock,
            dev.sorabatch.config.PricingProperties pricing) {
        return new RunHistory(jobRepository, ledger, runLock, pricing.getPerSecond());
    }

    /** Each run tells the metrics push when it starts and ends (README, "Metrics"). */
    @Bean
    public org.springframework.beans.factory.SmartInitializingSingleton metricsPushOfEachRun(
            SoraBatchCommand soraBatchCommand, dev.sorabatch.metrics.MetricsPush metricsPush) {
        return () -> soraBatchCommand.onEachRun(metricsPush::runStarting, metricsPush::runEnded);
    }

    @Bean
    public ProgressDisplay progressDisplay(@Value("${sora.progress:auto}") String mode,
            @Value("${sora.progress-every:30s}") Duration every, Environment environment) {
        boolean rowLogLevelChosen = environment.containsProperty("logging.level.dev.sorabatch.job");
        return new ProgressDisplay(mode, every, null, () -> {
            if (!rowLogLevelChosen) {
                LoggingSystem.get(getClass().getClassLoader()).setLogLevel("dev.sorabatch.job", LogLevel.WARN);
            }
        });
    }

    @Bean
    public SoraConnectionFactory soraConnectionFactory(SoraProperties properties, ServiceChoice serviceChoice,
            dev.sorabatch.metrics.RequestMetrics requestMetrics) {
        return new SoraConnectionFactory(properties, serviceChoice, requestMetrics::interceptor);
    }

    /**
     * The protocol and endpoint of this process's runs. An unknown {@code --provider} falls back to inference here
     * so that the context starts; the command refuses it with a usage error before anything is sent.
     */
    @Bean
    public ServiceChoice serviceChoice(SoraProperties properties, @Value("${provider:}") String providerOption) {
        try {
            return ServiceChoice.resolve(properties, providerOption);
        } catch (IllegalArgumentException e) {
            return ServiceChoice.resolve(properties, "auto");
        }
    }

    @Bean
    @ConfigurationProperties("sora.simulator")
    public SimulatorSettings simulatorSettings() {
        return new SimulatorSettings();
    }

    @Bean
    public RunLauncher runLauncher(JobOperator jobOperator, JobRepository jobRepository, Job soraBatchJob,
            RunLock runLock) {
        return new RunLauncher(jobOperator, jobRepository, soraBatchJob, runLock);
    }

    /** Depends on the ledger so that the lock table exists before it is used. */
    @Bean
    public RunLock runLock(DataSource dataSource, Ledger ledger) {
        return new RunLock(new JdbcTemplate(dataSource), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }
}
