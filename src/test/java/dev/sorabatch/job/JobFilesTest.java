package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.Retrier;
import dev.sorabatch.service.ServiceTraits;
import dev.sorabatch.service.VideoJob;
import dev.sorabatch.service.VideoService;

/** A service that declares no thumbnails (fal) is asked for none: no failed call, no warning, no thumbnail file. */
class JobFilesTest {

    @TempDir
    Path out;

    @Test
    void noThumbnailIsAskedOfAServiceThatMakesNone() {
        List<ContentKind> asked = new ArrayList<>();
        VideoService noThumbnails = (VideoService) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] { VideoService.class }, (proxy, method, args) -> switch (
                        method.getName()) {
                    case "traits" -> new ServiceTraits(true, false, EnumSet.of(ServiceTraits.Input.TEXT), null, null,
                            false);
                    case "extension" -> args[0] == ContentKind.VIDEO ? "mp4" : "jpg";
                    case "download" -> {
                        asked.add((ContentKind) args[1]);
                        yield 4L;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ServiceConnection fal = new ServiceConnection(noThumbnails, null, new Retrier(new Retrier.Policy(1,
                java.time.Duration.ZERO, java.time.Duration.ZERO, java.time.Duration.ZERO)));
        VideoJob done = new VideoJob("req-1", "COMPLETED", null, null, null, List.of("https://cdn.test/v.mp4"), null,
                null, null, null, null, null, 1, null, null, true, true, null);

        JobFiles.Saved saved = JobFiles.save(entry(), done, fal, out, new AtomicInteger());

        assertThat(asked).containsExactly(ContentKind.VIDEO);
        assertThat(saved.videos()).hasSize(1);
        assertThat(saved.thumbnails()).isEmpty();
    }

    private static LedgerEntry entry() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:files-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        dev.sorabatch.ledger.LedgerSchema.migrate(dataSource);
        Ledger ledger = new Ledger(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
        ledger.recordSubmitting(1, new VideoRequest(1, null, "p", null, 0, 0, 8, 1), "fox", null, "default",
                new dev.sorabatch.pricing.RowCost(null, "0x0", null, null));
        return ledger.find(1, 1).orElseThrow();
    }
}
