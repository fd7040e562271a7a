package io.ordersvc.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.ordersvc.cqrs.changes.SseChanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The layering the code relies on, checked on the compiled classes. */
class LayeringTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ordersvc");

    @Test
    void the_cqrs_plumbing_knows_nothing_of_the_business_features() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Plumbing").definedBy("io.ordersvc.cqrs..")
                .layer("Orders").definedBy("io.ordersvc.orders..")
                .layer("Customers").definedBy("io.ordersvc.customers..")
                .layer("Catalog").definedBy("io.ordersvc.catalog..")
                .whereLayer("Orders").mayNotBeAccessedByAnyLayer()
                .whereLayer("Customers").mayOnlyBeAccessedByLayers("Orders")
                .whereLayer("Catalog").mayOnlyBeAccessedByLayers("Orders")
                .check(SERVICE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders", "catalog"})
    void in_every_feature_commands_projections_and_queries_meet_only_in_events_and_read_models(String feature) {
        // queries read the read models that projections define (and build one on a miss by the same projection)
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Command").definedBy("io.ordersvc." + feature + ".command..")
                .layer("Query").definedBy("io.ordersvc." + feature + ".query..")
                .layer("Projection").definedBy("io.ordersvc." + feature + ".projection..")
                .layer("Event").definedBy("io.ordersvc." + feature + ".event..")
                .whereLayer("Command").mayNotBeAccessedByAnyLayer()
                .whereLayer("Query").mayNotBeAccessedByAnyLayer()
                .whereLayer("Projection").mayOnlyBeAccessedByLayers("Query")
                .whereLayer("Event").mayOnlyBeAccessedByLayers("Command", "Projection", "Query")
                .check(SERVICE);
    }

    @Test
    void customers_are_split_into_commands_and_events_like_every_feature() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Command").definedBy("io.ordersvc.customers.command..")
                .layer("Event").definedBy("io.ordersvc.customers.event..")
                .whereLayer("Command").mayNotBeAccessedByAnyLayer()
                .whereLayer("Event").mayOnlyBeAccessedByLayers("Command")
                .check(SERVICE);
    }

    @Test
    void projections_are_pure_functions_without_framework_or_reactive_types() {
        noClasses().that().haveSimpleNameEndingWith("Projection").and().resideInAnyPackage("io.ordersvc..projection..")
                .and().areNotInterfaces()
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "io.smallrye..", "io.vertx..",
                        "jakarta..", "org.hibernate..")
                .check(SERVICE);
    }

    @Test
    void no_code_but_the_web_layer_speaks_http_problems() {
        // SseChanges is the HTTP side of change streams: it answers a stream it cannot open with a problem
        noClasses().that().resideOutsideOfPackages("io.ordersvc.cqrs.http..").and().haveSimpleNameNotEndingWith("Resource")
                .and().doNotBelongToAnyOf(SseChanges.class)
                .should().dependOnClassesThat().haveSimpleName("ProblemException")
                .check(SERVICE);
    }

    @Test
    void deciding_an_order_is_pure_domain_logic_without_framework_or_reactive_types() {
        noClasses().that().haveSimpleNameStartingWith("OrderPlacement")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "io.smallrye..", "io.vertx..",
                        "jakarta.persistence..", "jakarta.ws..", "org.hibernate..")
                .check(SERVICE);
    }
}
