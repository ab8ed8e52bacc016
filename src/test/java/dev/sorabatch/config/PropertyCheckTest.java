package dev.sorabatch.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import dev.sorabatch.simulator.SimulatorSettings;

class PropertyCheckTest {

    private final KnownProperties known = new KnownProperties().add("sora", SoraProperties.class)
            .add("sora.pricing", PricingProperties.class).add("sora.simulator", SimulatorSettings.class)
            .addName("sora.submit-chunk");

    @Test
    void aMistypedPropertyIsRefusedNamingTheNearestKnownOne() {
        assertThatThrownBy(() -> check(Map.of("sora.max-inflite", "4"), Map.of()))
                .hasMessageContaining("unknown property sora.max-inflite (did you mean sora.max-in-flight?)")
                .hasMessageContaining("set on the command line");
    }

    @Test
    void relaxedSpellingsOfKnownPropertiesAreAccepted() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("sora.maxInFlight", "4");
        args.put("sora.retry.orphan_settle", "1s");
        args.put("sora.endpoints[1].api-key", "k");
        args.put("sora.endpoints[1].requestsPerMinute", "5");
        args.put("sora.simulator.blocked-words[0]", "x");
        args.put("sora.submit-chunk", "2");
        args.put("sora.pricing.per-second.1280x720", "0.1");
        args.put("sora.pricing.per-second[480x480]", "0.1");
        assertThatCode(() -> check(args, Map.of("SORA_MAX_IN_FLIGHT", "2", "SORA_LANG", "fr",
                "SORA_ENDPOINTS_0_API_KEY", "k", "SORA_PRICING_PERSECOND_480X480", "0.1", "SORA_MAXINFLIGHT", "2")))
                .doesNotThrowAnyException();
    }

    @Test
    void aMistypedEnvironmentVariableIsRefusedInItsOwnSpelling() {
        assertThatThrownBy(() -> check(Map.of(), Map.of("SORA_MAX_INFLITE", "3", "SORA_LANG", "fr")))
                .hasMessageContaining("unknown property SORA_MAX_INFLITE (did you mean SORA_MAX_IN_FLIGHT?)")
                .hasMessageContaining("set in the environment").hasMessageNotContaining("SORA_LANG");
    }

    @Test
    void anEnvironmentVariableThatTheConfigurationRefersToIsNotAProperty() {
        assertThatCode(() -> check(Map.of("sora.endpoints[0].api-key", "${SORA_EAST_KEY}"),
                Map.of("SORA_EAST_KEY", "k"))).doesNotThrowAnyException();
    }

    @Test
    void aPriceForASizeInCapitalsIsRefusedWithTheFix() {
        assertThatThrownBy(() -> check(Map.of("sora.pricing.per-second.480X480", "0.05"), Map.of()))
                .hasMessageContaining("sora.pricing.per-second.480X480: sizes are written in lower case, "
                        + "sora.pricing.per-second.480x480");
    }

    @Test
    void aPriceForSomethingThatIsNotASizeIsRefused() {
        assertThatThrownBy(() -> check(Map.of("sora.pricing.per-second.hd", "0.05"), Map.of()))
                .hasMessageContaining("'hd' is not a size");
    }

    @Test
    void aPriceForAModelIsKnownWithTheModelsDotsAndSlashesInBrackets() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("sora.pricing.models[fal-ai/veo3.1/fast].per-second", "0.15");
        args.put("sora.pricing.models.sora-2-pro.per-second", "0.30");
        assertThatCode(() -> check(args, Map.of())).doesNotThrowAnyException();
        assertThatThrownBy(() -> check(Map.of("sora.pricing.models[fal-ai/veo3.1].per-secnd", "0.15"), Map.of()))
                .hasMessageContaining("unknown property sora.pricing.models[fal-ai/veo3.1].per-secnd");
    }

    @Test
    void pricesForModelsBindUnderTheModelsNameAsWritten() {
        Map<String, Object> args = Map.of("sora.pricing.models[fal-ai/veo3.1/fast].per-second", "0.15",
                "sora.pricing.models.sora-2-pro.per-second", "0.30", "sora.pricing.per-second.1280x720", "0.10");
        PricingProperties pricing = new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(args))
                .bind("sora.pricing", PricingProperties.class).get();

        org.assertj.core.api.Assertions.assertThat(pricing.perSecondOfModels()).containsOnly(
                Map.entry("fal-ai/veo3.1/fast", new java.math.BigDecimal("0.15")),
                Map.entry("sora-2-pro", new java.math.BigDecimal("0.30")));
        org.assertj.core.api.Assertions.assertThat(pricing.getPerSecond())
                .containsOnly(Map.entry("1280x720", new java.math.BigDecimal("0.10")));
    }

    private void check(Map<String, Object> commandLine, Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", commandLine));
        PropertyCheck.check(environment, known);
    }
}
