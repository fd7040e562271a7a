package io.ordersvc.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * Each package of the plumbing has one job, and no two of them need each other: a package can be
 * read, and changed, knowing only the ones below it.
 */
class PlumbingCyclesTest {

    /** One slice per package under {@code io.ordersvc.cqrs}, with its sub-packages. */
    static final ArchRule NO_CYCLES_IN_THE_PLUMBING = slices().matching("io.ordersvc.cqrs.(*)..")
            .should().beFreeOfCycles();

    @Test
    void no_two_packages_of_the_plumbing_depend_on_each_other() {
        NO_CYCLES_IN_THE_PLUMBING.check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ordersvc.cqrs"));
    }

    @Test
    void the_rule_fails_on_two_packages_that_import_each_other() {
        // test-only packages, planted for this: a hen comes from an egg, and an egg from a hen
        JavaClasses planted = new ClassFileImporter().importPackages("io.ordersvc.cqrs.plantedhen", "io.ordersvc.cqrs.plantedegg");

        EvaluationResult result = NO_CYCLES_IN_THE_PLUMBING.evaluate(planted);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(cycle -> assertThat(cycle).contains("plantedhen").contains("plantedegg"));
        assertThatThrownBy(() -> NO_CYCLES_IN_THE_PLUMBING.check(planted)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected");
    }
}
