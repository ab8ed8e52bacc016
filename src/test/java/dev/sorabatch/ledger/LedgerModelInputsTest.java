package dev.sorabatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.service.ModelInputs;

/**
 * A row's model inputs survive in the ledger: the create sent again after a lost answer or an expired job (both
 * rebuilt from the ledger) asks for the same video, and is recognised by the same input.
 */
class LedgerModelInputsTest {

    private final Ledger ledger = ledger();

    private static Ledger ledger() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:inputs-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        dev.sorabatch.ledger.LedgerSchema.migrate(dataSource);
        return new Ledger(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
    }

    @Test
    void theModelInputsOfASubmittedRowAreReadBackAsTheyWere() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("cfg_scale", "0.5");
        params.put("tags", "[\"a\"]");
        ModelInputs inputs = new ModelInputs("9:16", "1080p", "blur", 42L, params, true);
        ledger.recordSubmitting(1, new VideoRequest(3, null, "p", null, 0, 0, 8, 1, "fal-ai/veo3.1/fast", inputs),
                "stem", null, "default",
                new dev.sorabatch.pricing.RowCost(null, "0x0", null, null));
        ledger.recordSubmitting(1, new VideoRequest(4, null, "p", null, 480, 480, 5, 1), "stem2", null, "default",
                new dev.sorabatch.pricing.RowCost(null, "0x0", null, null));

        assertThat(ledger.find(1, 3).orElseThrow().modelInputs()).isEqualTo(inputs);
        assertThat(ledger.find(1, 4).orElseThrow().modelInputs()).isEqualTo(ModelInputs.NONE);
    }
}
