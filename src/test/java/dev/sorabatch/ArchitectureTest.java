package dev.sorabatch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package rules docs/architecture.md states: no cycles between packages, a provider-neutral core (the
 * simulator's included: each provider brings its dialect), and providers that know nothing of each other (the Sora
 * pair shares {@code provider.sora}, the Google pair {@code provider.google}) nor of the job.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.sorabatch");

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching("dev.sorabatch.(*)..").should().beFreeOfCycles().check(MAIN);
        slices().matching("dev.sorabatch.provider.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theJobLedgerReportAndInputKnowNoProvider() {
        noClasses().that().resideInAnyPackage("dev.sorabatch.job..", "dev.sorabatch.ledger..",
                "dev.sorabatch.report..", "dev.sorabatch.csv..", "dev.sorabatch.service..", "dev.sorabatch.http..",
                "dev.sorabatch.diagnosis..", "dev.sorabatch.metrics..", "dev.sorabatch.files..",
                "dev.sorabatch.pricing..", "dev.sorabatch.simulator..")
                .should().dependOnClassesThat().resideInAPackage("dev.sorabatch.provider..").check(MAIN);
    }

    @Test
    void providersKnowNeitherTheJobNorEachOther() {
        noClasses().that().resideInAPackage("dev.sorabatch.provider..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.sorabatch.job..", "dev.sorabatch.ledger..", "dev.sorabatch.report..",
                        "dev.sorabatch.cli..", "dev.sorabatch.metrics..")
                .check(MAIN);
        for (String provider : new String[] { "azure", "openai", "fal", "vertex", "gemini" }) {
            noClasses().that().resideInAPackage("dev.sorabatch.provider." + provider + "..").should()
                    .dependOnClassesThat().resideInAnyPackage(others(provider)).allowEmptyShould(true).check(MAIN);
        }
    }

    /** Google's shared package ({@code provider.google}: its error envelope) is the Google pair's, and knows neither. */
    @Test
    void onlyTheGooglePairSharesProviderGoogle() {
        noClasses().that().resideInAPackage("dev.sorabatch..").and().resideOutsideOfPackages(
                "dev.sorabatch.provider.vertex..", "dev.sorabatch.provider.gemini..", "dev.sorabatch.provider.google..")
                .should().dependOnClassesThat().resideInAPackage("dev.sorabatch.provider.google..").check(MAIN);
        noClasses().that().resideInAPackage("dev.sorabatch.provider.google..").should().dependOnClassesThat()
                .resideInAnyPackage(others("google")).check(MAIN);
    }

    /** Every provider package but {@code provider} itself and the Sora family's shared one. */
    private static String[] others(String provider) {
        return java.util.stream.Stream.of("azure", "openai", "fal", "vertex", "gemini").filter(p -> !p.equals(provider))
                .map(p -> "dev.sorabatch.provider." + p + "..").toArray(String[]::new);
    }
}
