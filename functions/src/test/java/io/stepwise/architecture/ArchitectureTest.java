package io.stepwise.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.stepwise.batches.BatchService;
import io.stepwise.tasks.TaskService;
import io.stepwise.tenancy.Caller;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The package map of docs/architecture.md ("Code layout") as rules the build enforces (ArchUnit,
 * over the compiled main classes): the core never reaches into a pipeline, no two packages depend
 * on each other, the store is an adapter nobody above it imports, and the workflow client is
 * outbound only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchitectureTest {

  private JavaClasses main;

  @BeforeAll
  void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.stepwise");
  }

  @Test
  void theCore_importsNoPipeline() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.stepwise.pipelines..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.stepwise.pipelines..")
        .because(
            "a pipeline is data plus step bodies: adding one must not touch the core (docs/architecture.md, Pipelines)")
        .check(main);
  }

  @Test
  void theApi_alwaysPassesTheCaller_soNoRouteSkipsTenancy() {
    // TaskService and BatchService keep Caller-less overloads (the open mode, for other functions
    // and tests);
    // a controller that called one would show every owner's tasks to anybody (docs/architecture.md,
    // Tenancy).
    noClasses()
        .that()
        .resideInAPackage("io.stepwise.api..")
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a public TaskService/BatchService method without a Caller parameter",
                call ->
                    (call.getTargetOwner().isEquivalentTo(TaskService.class)
                            || call.getTargetOwner().isEquivalentTo(BatchService.class))
                        && Set.of(
                                "get", "list", "stats", "retry", "cancel", "failed", "retryFailed")
                            .contains(call.getName())
                        && call.getTarget().getRawParameterTypes().stream()
                            .noneMatch(t -> t.isEquivalentTo(Caller.class))))
        .because(
            "every route acts as its caller: another owner's task is a 404 (docs/architecture.md, Tenancy)")
        .check(main);
  }

  @Test
  void packages_areFreeOfCycles() {
    slices().matching("io.stepwise.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void theStore_isImportedByNoDomainOrEdgePackage() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.stepwise.model..",
            "io.stepwise.tasks..",
            "io.stepwise.steps..",
            "io.stepwise.lifecycle..",
            "io.stepwise.workflow..",
            "io.stepwise.api..",
            "io.stepwise.batches..",
            "io.stepwise.health..",
            "io.stepwise.models..",
            "io.stepwise.metrics..",
            "io.stepwise.alerts..",
            "io.stepwise.pipelines..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.stepwise.store..")
        .because(
            "store/ holds the DynamoDB and blob adapters only; the domain sees them through its own interfaces")
        .check(main);
  }

  @Test
  void theWorkflowClient_isOutboundOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.stepwise.workflow..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.stepwise.tasks..", "io.stepwise.lifecycle..")
        .because(
            "inbound workflow events live in lifecycle/, which calls tasks/; workflow/ only starts and stops")
        .check(main);
  }

  @Test
  void theModel_dependsOnNoOtherStepwisePackage() {
    noClasses()
        .that()
        .resideInAPackage("io.stepwise.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.stepwise.tasks..",
            "io.stepwise.steps..",
            "io.stepwise.lifecycle..",
            "io.stepwise.workflow..",
            "io.stepwise.store..",
            "io.stepwise.api..",
            "io.stepwise.catalog..")
        .because("the model is the vocabulary every other package shares")
        .check(main);
  }
}
