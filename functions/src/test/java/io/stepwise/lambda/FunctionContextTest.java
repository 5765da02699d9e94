package io.stepwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.BeanDefinition;
import io.stepwise.api.TaskController;
import io.stepwise.steps.StepRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contexts the handlers' no-argument constructors start: which bean definitions each can see.
 */
class FunctionContextTest {

  @Test
  void workerContext_leavesOutTheHttpSide_andKeepsWhatStepsUse() {
    try (ApplicationContext context = FunctionContext.start()) {
      List<String> definitions = definitionTypes(context);

      assertThat(context.containsBean(StepRuntime.class)).isTrue();
      assertThat(definitions)
          .noneMatch(
              type ->
                  type.startsWith("io.stepwise.api.")
                      || type.startsWith("io.micronaut.http.server.")
                      || type.startsWith("io.micronaut.web.router."));
      assertThat(definitions)
          .as("no server-side or unused Micronaut feature")
          .noneMatch(
              type ->
                  type.startsWith("io.micronaut.discovery.")
                      || type.startsWith("io.micronaut.scheduling.")
                      || type.startsWith("io.micronaut.reactor.")
                      || type.startsWith("io.micronaut.health."));
      assertThat(definitions)
          .as("the AWS clients the functions call")
          .anyMatch(type -> type.contains("DynamoDbClient"))
          .anyMatch(type -> type.contains("S3Client"))
          .anyMatch(type -> type.contains("SecretsManagerClient"))
          .anyMatch(type -> type.contains("SfnClient"));
    }
  }

  @Test
  void apiContext_hasTheControllersAndRouter() {
    try (ApplicationContext context = FunctionContext.builder().build().start()) {
      List<String> definitions = definitionTypes(context);

      assertThat(context.containsBean(TaskController.class)).isTrue();
      assertThat(definitions).anyMatch(type -> type.startsWith("io.micronaut.web.router."));
    }
  }

  @Test
  void excluded_matchesWholePackagePrefixes() {
    List<String> packages = List.of("io.stepwise.api.");

    assertThat(FunctionContext.excluded("io.stepwise.api.$TaskController$Definition", packages))
        .isTrue();
    assertThat(FunctionContext.excluded("io.stepwise.apigateway.$X$Definition", packages))
        .isFalse();
    assertThat(FunctionContext.excluded("io.stepwise.steps.$StepRuntime$Definition", packages))
        .isFalse();
  }

  private static List<String> definitionTypes(ApplicationContext context) {
    return context.getAllBeanDefinitions().stream()
        .map(BeanDefinition::getBeanType)
        .map(Class::getName)
        .toList();
  }
}
