package io.stepwise.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module map, over the main classes of every module the deployment package holds: the core
 * imports neither the kit nor any pipeline, the kit imports no pipeline, and no pipeline imports
 * another (docs/architecture.md, "Pipelines").
 */
class ModulesTest {

  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    ImportOption mainOnly =
        location ->
            !location.contains("/test-classes/")
                && !location.contains("-tests.jar")
                && !location.contains("-fixture.jar")
                && !location.contains("-api-contract.jar");
    classes = new ClassFileImporter().withImportOption(mainOnly).importPackages("io.stepwise");
  }

  @Test
  void theCore_importsNeitherTheKitNorAnyPipeline() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.stepwise.kit..", "io.stepwise.pipelines..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.stepwise.kit..", "io.stepwise.pipelines..")
        .check(classes);
  }

  @Test
  void theKit_importsNoPipeline() {
    noClasses()
        .that()
        .resideInAPackage("io.stepwise.kit..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.stepwise.pipelines..")
        .check(classes);
  }

  @Test
  void noPipeline_importsAnother() {
    slices().matching("io.stepwise.pipelines.(*)..").should().notDependOnEachOther().check(classes);
  }
}
