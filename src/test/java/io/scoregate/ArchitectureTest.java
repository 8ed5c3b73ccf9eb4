package io.scoregate;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rules of DESIGN.md, checked on the compiled classes. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.scoregate");

  @Test
  void routingContextNeverGoesBelowAHandler() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Service")
        .or()
        .haveSimpleNameEndingWith("Repository")
        .or()
        .haveSimpleNameEndingWith("Writer")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.vertx.ext.web.RoutingContext")
        .check(CLASSES);
  }

  @Test
  void theModelKnowsNothingOfHttpOrTheDatabase() {
    noClasses()
        .that()
        .resideInAPackage("io.scoregate.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.vertx.ext.web..", "io.vertx.sqlclient..", "io.scoregate.http..")
        .check(CLASSES);
  }

  @Test
  void nothingReadsTheEnvironmentButTheConfiguration() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.scoregate.app..")
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .check(CLASSES);
  }

  @Test
  void unitsHaveNoImportCycles() {
    slices().matching("io.scoregate.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void failuresAreRenderedWithoutKnowingTheUnits() {
    noClasses()
        .that()
        .resideInAnyPackage("io.scoregate.http..", "io.scoregate.problem..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.scoregate..")
                .and(
                    not(
                        resideInAnyPackage(
                            "io.scoregate.http..",
                            "io.scoregate.problem..",
                            "io.scoregate.config.."))))
        .check(CLASSES);
  }
}
