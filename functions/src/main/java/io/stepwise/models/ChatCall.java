package io.stepwise.models;

/** One attempt at one model: {@link ModelGateway} over HTTP, a script in tests. */
public interface ChatCall {

  /**
   * Sends the request; an HTTP failure is the {@link io.stepwise.steps.errors.StepException} its
   * status means.
   */
  ChatResult chat(ModelSpec model, ChatRequest request, Attempt attempt);

  /**
   * Which attempt of which task's step this is, and why it is made ({@code first}, or the tactic
   * that asked for it, e.g. {@code length: max_tokens 2400}): both go into the {@code
   * stepwise.model-calls} line.
   */
  record Attempt(String taskId, String step, int number, String reason) {

    public static Attempt first(String taskId, String step) {
      return new Attempt(taskId, step, 1, "first");
    }
  }
}
