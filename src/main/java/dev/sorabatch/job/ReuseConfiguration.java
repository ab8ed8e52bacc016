package dev.sorabatch.job;

import javax.sql.DataSource;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.ReuseRecords;

/**
 * Reuse by content (README, "Re-runs"): what a delivered video is recorded with, and the processor that decides,
 * before a row is sent, whether an earlier run's video stands for it.
 */
@Configuration
public class ReuseConfiguration {

    /** Takes the ledger so that the schema (made with it) exists first. */
    @Bean
    public ReuseRecords reuseRecords(Ledger ledger, DataSource dataSource,
            PlatformTransactionManager transactionManager) {
        return new ReuseRecords(new JdbcTemplate(dataSource), transactionManager);
    }

    @Bean
    public ContentKeys contentKeys(Endpoints endpoints, RunState runState) {
        return new ContentKeys(endpoints, runState);
    }

    @Bean
    public ReuseDecider reuseDecider(Ledger ledger, ReuseRecords reuseRecords, ContentKeys contentKeys,
            RunState runState, RunPaths runPaths, Endpoints endpoints, FileNameRegistry fileNames,
            JobRepository jobRepository) {
        return new ReuseDecider(ledger, reuseRecords, contentKeys, runState, runPaths, endpoints, fileNames,
                jobRepository);
    }

    /** The collector and the submitter tell it of each delivered row and each fetched image. */
    @Bean
    public SmartInitializingSingleton deliveriesRecordedForReuse(ReuseRecords reuseRecords, ContentKeys contentKeys,
            RunState runState, CollectTasklet collectTasklet, VideoSubmitter videoSubmitter) {
        DeliveryRecorder recorder = new DeliveryRecorder(reuseRecords, contentKeys, runState);
        return () -> {
            collectTasklet.onDelivered(recorder::delivered);
            videoSubmitter.onImageFetched(recorder::imageFetched);
        };
    }
}
