package io.stepwise.functions;

import io.micronaut.context.annotation.Factory;
import io.stepwise.model.Pipelines;
import jakarta.inject.Singleton;

/** The pipelines deployed with this jar, as a bean: the same list the infra app and the local runtime read. */
@Factory
public class PipelinesFactory {

  @Singleton
  public Pipelines pipelines() {
    return Pipelines.installed();
  }
}
