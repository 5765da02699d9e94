package io.stepwise.kit.publish;

/**
 * The request reached the target but no answer came back (e.g. a timeout after sending): the post
 * may or may not be published. Never a step error by itself: the publish step decides what it
 * means.
 */
public class PublishOutcomeUnknownException extends RuntimeException {

  public PublishOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
