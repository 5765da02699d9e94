package io.stepwise.fakes;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a fake model answers. {@code status} other than 200 answers with an error body in the
 * provider's shape; {@code finishReason} is in OpenAI's vocabulary (mapped for Anthropic); {@code
 * malformedAnswers} makes that many answers non-JSON text before normal ones; {@code content}
 * overrides the answer ({@link ModelAnswers}' otherwise). {@code echoKey} makes the model repeat
 * the key it was sent, as careless providers and proxies do: in the answer (verbatim, inside longer
 * tokens, repeatedly, and in a JSON answer with {@code \}{@code u002d} escapes; see {@code
 * KeyEcho}), in error messages and in response headers.
 *
 * <p>For the finish-reason tactics: {@code firstFinishReasons} are the finish reasons of the
 * model's first answers, in order ({@code null} entries: no finish reason), before {@code
 * finishReason} applies; {@code shortAnswers} makes that many answers a few characters long (finish
 * {@code stop}); {@code tokensNeeded} makes the answer need that many tokens: a request with a
 * smaller {@code max_tokens} gets the answer cut in proportion with finish {@code length}, and a
 * request continuing a cut answer gets the rest.
 */
public record ModelBehaviour(
    int status,
    Map<String, String> headers,
    long delayMillis,
    boolean hang,
    String finishReason,
    int malformedAnswers,
    String content,
    boolean echoKey,
    List<String> firstFinishReasons,
    int shortAnswers,
    int tokensNeeded) {

  public static ModelBehaviour healthy() {
    return new ModelBehaviour(
        200,
        Map.of(
            "x-ratelimit-limit-requests",
            "500",
            "x-ratelimit-remaining-requests",
            "499",
            "anthropic-ratelimit-requests-limit",
            "500",
            "anthropic-ratelimit-requests-remaining",
            "499"),
        0,
        false,
        "stop",
        0,
        null,
        false,
        List.of(),
        0,
        0);
  }

  public static ModelBehaviour failing(int status) {
    return healthy().withStatus(status, Map.of());
  }

  public ModelBehaviour withStatus(int newStatus, Map<String, String> newHeaders) {
    return new ModelBehaviour(
        newStatus,
        newHeaders,
        delayMillis,
        hang,
        finishReason,
        malformedAnswers,
        content,
        echoKey,
        firstFinishReasons,
        shortAnswers,
        tokensNeeded);
  }

  public ModelBehaviour withDelay(long millis) {
    return new ModelBehaviour(
        status,
        headers,
        millis,
        hang,
        finishReason,
        malformedAnswers,
        content,
        echoKey,
        firstFinishReasons,
        shortAnswers,
        tokensNeeded);
  }

  public ModelBehaviour hanging(long millis) {
    return new ModelBehaviour(
        status,
        headers,
        millis,
        true,
        finishReason,
        malformedAnswers,
        content,
        echoKey,
        firstFinishReasons,
        shortAnswers,
        tokensNeeded);
  }

  public ModelBehaviour withFinishReason(String reason) {
    return new ModelBehaviour(
        status,
        headers,
        delayMillis,
        hang,
        reason,
        malformedAnswers,
        content,
        echoKey,
        firstFinishReasons,
        shortAnswers,
        tokensNeeded);
  }

  public ModelBehaviour withMalformedAnswers(int count) {
    return new ModelBehaviour(
        status,
        headers,
        delayMillis,
        hang,
        finishReason,
        count,
        content,
        echoKey,
        firstFinishReasons,
        shortAnswers,
        tokensNeeded);
  }

  /** A healthy model that repeats the key it was sent wherever it can (see the class comment). */
  public static ModelBehaviour echoingKey() {
    return healthy().withKeyEcho();
  }

  public ModelBehaviour withKeyEcho() {
    return new ModelBehaviour(
        status,
        headers,
        delayMillis,
        hang,
        finishReason,
        malformedAnswers,
        content,
        true,
        firstFinishReasons,
        shortAnswers,
        tokensNeeded);
  }

  public ModelBehaviour withContent(String text) {
    return new ModelBehaviour(
        status,
        headers,
        delayMillis,
        hang,
        finishReason,
        malformedAnswers,
        text,
        echoKey,
        firstFinishReasons,
        shortAnswers,
        tokensNeeded);
  }

  /**
   * The first answers' finish reasons, in order (a null entry: none), before {@link #finishReason}
   * applies.
   */
  public ModelBehaviour withFirstFinishReasons(String... reasons) {
    return new ModelBehaviour(
        status,
        headers,
        delayMillis,
        hang,
        finishReason,
        malformedAnswers,
        content,
        echoKey,
        Arrays.asList(reasons),
        shortAnswers,
        tokensNeeded);
  }

  /** The first {@code count} answers are a few characters long (finish reason {@code stop}). */
  public ModelBehaviour withShortAnswers(int count) {
    return new ModelBehaviour(
        status,
        headers,
        delayMillis,
        hang,
        finishReason,
        malformedAnswers,
        content,
        echoKey,
        firstFinishReasons,
        count,
        tokensNeeded);
  }

  /**
   * The post needs this many tokens: a smaller {@code max_tokens} cuts it (finish reason {@code
   * length}).
   */
  public ModelBehaviour needingTokens(int tokens) {
    return new ModelBehaviour(
        status,
        headers,
        delayMillis,
        hang,
        finishReason,
        malformedAnswers,
        content,
        echoKey,
        firstFinishReasons,
        shortAnswers,
        tokens);
  }
}
