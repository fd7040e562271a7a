package io.ordersvc.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

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

    @Test
    void the_command_side_and_the_query_side_of_orders_do_not_reach_into_each_other() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Command").definedBy("io.ordersvc.orders.command..")
                .layer("Query").definedBy("io.ordersvc.orders.query..")
                .layer("Projection").definedBy("io.ordersvc.orders.projection..")
                .layer("Event").definedBy("io.ordersvc.orders.event..")
                .whereLayer("Command").mayNotBeAccessedByAnyLayer()
                .whereLayer("Projection").mayNotBeAccessedByAnyLayer()
                .whereLayer("Query").mayOnlyBeAccessedByLayers("Projection")
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
