package io.stepwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.beans.BeanIntrospectionReference;
import io.micronaut.core.convert.TypeConverterRegistrar;
import io.micronaut.core.io.service.SoftServiceLoader.StaticDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The service listing a worker's context loads: Micronaut's, less the excluded packages. */
class FilteredServicesTest {

  @Test
  void converterRegistrars_leaveOutTheExcludedPackages_andKeepTheRest() {
    List<String> names =
        names(
            new FilteredServices(
                TypeConverterRegistrar.class.getName(), List.of("io.micronaut.http.")));

    assertThat(names)
        .contains("io.micronaut.runtime.converters.time.TimeConverterRegistrar")
        .noneMatch(name -> name.startsWith("io.micronaut.http."));
  }

  @Test
  void introspections_leaveOutTheApisViews_andKeepTheCoresRecords() {
    List<String> all =
        names(new FilteredServices(BeanIntrospectionReference.class.getName(), List.of()));
    List<String> worker =
        names(
            new FilteredServices(
                BeanIntrospectionReference.class.getName(), List.of("io.stepwise.api.")));

    assertThat(all).anyMatch(name -> name.startsWith("io.stepwise.api."));
    assertThat(worker)
        .noneMatch(name -> name.startsWith("io.stepwise.api."))
        .anyMatch(name -> name.startsWith("io.stepwise.steps."))
        .hasSize(
            all.size() - (int) all.stream().filter(n -> n.startsWith("io.stepwise.api.")).count());
  }

  private static List<String> names(FilteredServices services) {
    return services.findAll(name -> true).map(StaticDefinition::getName).toList();
  }
}
