package dev.integrity.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The project's structural rules, checked on the compiled main classes. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.integrity");
  }

  @Test
  void feature_packages_have_no_dependency_cycles() {
    slices().matching("dev.integrity.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void the_foundation_does_not_know_the_layers_built_on_it() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.integrity.airtable..",
            "dev.integrity.store..",
            "dev.integrity.config..",
            "dev.integrity.check..",
            "dev.integrity.common..",
            "dev.integrity.model..",
            "dev.integrity.sim..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.integrity.run..",
            "dev.integrity.app..",
            "dev.integrity.cli..",
            "dev.integrity.web..",
            "dev.integrity.schedule..",
            "dev.integrity.reaper..",
            "dev.integrity.alert..")
        .check(classes);
  }

  @Test
  void only_the_composition_root_and_the_cli_know_every_feature() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.integrity.app..", "dev.integrity.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.integrity.app..", "dev.integrity.cli..")
        .check(classes);
  }

  @Test
  void wall_clock_time_comes_only_from_an_injected_clock() {
    noClasses()
        .should()
        .callMethod(Instant.class, "now")
        .orShould()
        .callMethod(LocalDateTime.class, "now")
        .orShould()
        .callMethod(OffsetDateTime.class, "now")
        .orShould()
        .callMethod(ZonedDateTime.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .check(classes);
  }

  @Test
  void only_the_cli_writes_to_standard_output() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.integrity.cli..")
        .should()
        .accessField(System.class, "out")
        .check(classes);
  }

  @Test
  void the_shared_values_depend_on_no_feature_package() {
    noClasses()
        .that()
        .resideInAPackage("dev.integrity.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.integrity.airtable..",
            "dev.integrity.store..",
            "dev.integrity.config..",
            "dev.integrity.check..",
            "dev.integrity.plan..",
            "dev.integrity.metrics..",
            "dev.integrity.init..",
            "dev.integrity.sim..")
        .check(classes);
  }

  @Test
  void the_model_values_depend_on_no_other_package_of_ours() {
    noClasses()
        .that()
        .resideInAPackage("dev.integrity.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.integrity.airtable..",
            "dev.integrity.alert..",
            "dev.integrity.app..",
            "dev.integrity.check..",
            "dev.integrity.cli..",
            "dev.integrity.common..",
            "dev.integrity.config..",
            "dev.integrity.init..",
            "dev.integrity.metrics..",
            "dev.integrity.plan..",
            "dev.integrity.reaper..",
            "dev.integrity.run..",
            "dev.integrity.schedule..",
            "dev.integrity.sim..",
            "dev.integrity.store..",
            "dev.integrity.web..")
        .check(classes);
  }

  /** The check engine is pure: it reads model values and config, and touches no I/O package. */
  @Test
  void the_check_engine_imports_no_io_package() {
    noClasses()
        .that()
        .resideInAPackage("dev.integrity.check..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.integrity.airtable..",
            "dev.integrity.store..",
            "dev.integrity.web..",
            "dev.integrity.cli..",
            "dev.integrity.sim..",
            "dev.integrity.app..")
        .check(classes);
  }

  /** The JSON conventions live in {@code common.JsonMapper}; nothing else builds a mapper. */
  @Test
  void json_mappers_are_built_only_by_the_one_mapper_home() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.integrity.common..")
        .should()
        .callConstructor(ObjectMapper.class)
        .check(classes);
  }

  /** Cron patterns are parsed where the schedule rules live: ScheduleSpec, and the service. */
  @Test
  void cron_patterns_are_parsed_only_by_the_schedule_rules_and_the_schedule_service() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.integrity.common..", "dev.integrity.schedule..")
        .should()
        .callConstructor(CronSchedule.class, String.class, java.time.ZoneId.class)
        .check(classes);
  }

  /**
   * One text helper: {@code common.Texts}. check.Values keeps only a one-argument wrapper with the
   * check messages' length.
   */
  @Test
  void messages_are_shortened_by_the_one_text_helper() {
    methods()
        .that()
        .haveName("shorten")
        .should()
        .beDeclaredIn("dev.integrity.common.Texts")
        .orShould()
        .beDeclaredIn("dev.integrity.check.Values")
        .check(classes);
  }

  /**
   * The environment is read where the process starts (cli.Main) and as the composition root's
   * default; everything else is handed the map, so tests and several configs see one environment.
   */
  @Test
  void the_environment_is_read_only_by_the_settings() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.integrity.config.Settings")
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .check(classes);
  }

  /** Services are built in one place, the root; everything else asks it for operations. */
  @Test
  void only_the_composition_root_constructs_services() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.integrity.app..")
        .should()
        .callConstructorWhere(
            com.tngtech.archunit.base.DescribedPredicate
                .<com.tngtech.archunit.core.domain.JavaConstructorCall>describe(
                    "a service's constructor (other than its own delegation)",
                    call ->
                        SERVICES.contains(call.getTargetOwner().getName())
                            && !call.getOriginOwner().equals(call.getTargetOwner())))
        .orShould()
        .callMethod(
            dev.integrity.store.Store.class,
            "open",
            dev.integrity.store.StoreSettings.class,
            java.time.Clock.class)
        .check(classes);
  }

  private static final java.util.Set<String> SERVICES =
      java.util.Set.of(
          "dev.integrity.airtable.AirtableClient",
          "dev.integrity.run.RunEngine",
          "dev.integrity.alert.AlertService",
          "dev.integrity.schedule.ScheduleService",
          "dev.integrity.reaper.ReaperService",
          "dev.integrity.reaper.Reaper",
          "dev.integrity.web.WebServer",
          "dev.integrity.metrics.Metrics");
}
