package io.stepwise.tasks;

import io.micronaut.context.BeanLocator;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Singleton;

/** The {@link PipelineInput} beans, each {@code @Named} with its pipeline's name. */
@Singleton
final class NamedPipelineInputs implements PipelineInputs {

  private final BeanLocator beans;

  NamedPipelineInputs(BeanLocator beans) {
    this.beans = beans;
  }

  @Override
  public PipelineInput of(String pipeline) {
    return beans.getBean(PipelineInput.class, Qualifiers.byName(pipeline));
  }
}
