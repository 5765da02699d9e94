package io.stepwise.aws;

import io.micronaut.aws.sdk.v2.service.AWSServiceConfiguration;
import io.micronaut.aws.sdk.v2.service.AwsClientFactory;
import io.micronaut.aws.ua.UserAgentProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClientBuilder;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;

/**
 * The EventBridge client, built as {@link SfnClientFactory} builds the Step Functions one
 * (micronaut-aws-sdk-v2 ships none): only where model health changes are sent to a bus ({@code
 * stepwise.alerts.event-bus}, set by the stack for the health check), with {@code
 * aws.services.eventbridge.endpoint-override} for tests.
 */
@Factory
@Requires(property = "stepwise.alerts.event-bus")
public class EventBridgeClientFactory
    extends AwsClientFactory<
        EventBridgeClientBuilder,
        EventBridgeAsyncClientBuilder,
        EventBridgeClient,
        EventBridgeAsyncClient> {

  @Inject
  protected EventBridgeClientFactory(
      AwsCredentialsProviderChain credentialsProvider,
      AwsRegionProviderChain regionProvider,
      @Nullable UserAgentProvider userAgentProvider,
      @Nullable @Named(EventBridgeClient.SERVICE_NAME) AWSServiceConfiguration configuration) {
    super(credentialsProvider, regionProvider, userAgentProvider, configuration);
  }

  @Override
  protected EventBridgeClientBuilder createSyncBuilder() {
    return EventBridgeClient.builder();
  }

  @Override
  protected EventBridgeAsyncClientBuilder createAsyncBuilder() {
    return EventBridgeAsyncClient.builder();
  }

  @Override
  @Singleton
  public EventBridgeClientBuilder syncBuilder(SdkHttpClient httpClient) {
    return super.syncBuilder(httpClient);
  }

  @Override
  @Bean(preDestroy = "close")
  @Singleton
  public EventBridgeClient syncClient(EventBridgeClientBuilder builder) {
    return super.syncClient(builder);
  }
}
