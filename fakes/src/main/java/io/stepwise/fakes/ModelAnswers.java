package io.stepwise.fakes;

import java.util.Optional;

/**
 * What the local model server ({@link ModelServer}) answers to one kind of prompt, read from the
 * prompt's content as a model would: a pipeline's module implements it for its own prompts, so the
 * answers follow the input (the paper's title and abstract, the report's topic and sources) and
 * this module names no pipeline.
 *
 * <p>Found with {@link java.util.ServiceLoader}: an implementation is listed in {@code
 * META-INF/services/io.stepwise.fakes.ModelAnswers} of a jar on the class path. The server asks
 * each in the order of their class names and takes the first answer; a prompt none of them
 * recognises gets a short placeholder. The server's behaviours ({@link ModelBehaviour}: errors,
 * finish reasons, cut answers, key echoes, malformed answers) apply on top of whatever the
 * implementation answers, so it only writes text.
 *
 * <p>An implementation must be deterministic (the same conversation always gets the same answer: a
 * stitched answer is compared with an uncut one, a retried step must see what the first attempt
 * saw) and thread-safe.
 */
public interface ModelAnswers {

  /**
   * The answer's text, or empty when this conversation is not one of the prompts this
   * implementation answers.
   */
  Optional<String> answer(Conversation conversation);
}
