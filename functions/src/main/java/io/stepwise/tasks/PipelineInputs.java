package io.stepwise.tasks;

/** Each installed pipeline's {@link PipelineInput}, by the pipeline's name. */
@FunctionalInterface
public interface PipelineInputs {

  PipelineInput of(String pipeline);
}
