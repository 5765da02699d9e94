package io.stepwise.models;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Keys from AWS Secrets Manager ({@code api-key-secret}: a secret name or ARN whose SecretString is
 * the key), kept in memory for {@code stepwise.secret-cache} (default 5 minutes) so a sweep or an
 * analyze step does not read the secret per call, while a rotated key is picked up soon. Read at
 * call time, never at start-up, so no key is captured in a SnapStart snapshot. The client is only
 * created when a model names a secret.
 */
@Singleton
public class SecretsManagerApiKeys {

  private record Cached(String value, Instant readAt) {}

  private final BeanProvider<SecretsManagerClient> client;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public SecretsManagerApiKeys(
      BeanProvider<SecretsManagerClient> client,
      Clock clock,
      @Value("${stepwise.secret-cache:5m}") Duration ttl) {
    this.client = client;
    this.clock = clock;
    this.ttl = ttl;
  }

  public String read(String secretId) {
    Instant now = clock.instant();
    Cached cached = cache.get(secretId);
    if (cached != null && cached.readAt().plus(ttl).isAfter(now)) {
      return cached.value();
    }
    String value;
    try {
      value = client.get().getSecretValue(b -> b.secretId(secretId)).secretString();
    } catch (ResourceNotFoundException e) {
      throw new TerminalStepException("the secret " + secretId + " does not exist");
    } catch (SdkException e) {
      // The SDK's message names the service and the request id, never the secret's value.
      throw new TransientStepException(
          "the secret " + secretId + " could not be read: " + reason(e));
    }
    if (value == null || value.isBlank()) {
      throw new TerminalStepException("the secret " + secretId + " has no SecretString");
    }
    cache.put(secretId, new Cached(value.trim(), now));
    return value.trim();
  }

  /** AWS's error code (ThrottlingException, say) where it answered, else the SDK's exception. */
  private static String reason(SdkException e) {
    if (e instanceof AwsServiceException aws
        && aws.awsErrorDetails() != null
        && aws.awsErrorDetails().errorCode() != null) {
      return aws.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }
}
