package io.stepwise.aws;

import io.micronaut.aws.sdk.v2.service.AWSServiceConfiguration;
import io.micronaut.aws.sdk.v2.service.AwsClientFactory;
import io.micronaut.aws.ua.UserAgentProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnAsyncClientBuilder;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

/**
 * The Step Functions client, built like micronaut-aws-sdk-v2 builds its own clients (it ships none
 * for SFN): shared credentials/region chains, the shared HTTP client, and {@code
 * aws.services.sfn.endpoint-override} so that the local emulator is reached with the unchanged
 * production code.
 */
@Factory
public class SfnClientFactory
    extends AwsClientFactory<SfnClientBuilder, SfnAsyncClientBuilder, SfnClient, SfnAsyncClient> {

  @Inject
  protected SfnClientFactory(
      AwsCredentialsProviderChain credentialsProvider,
      AwsRegionProviderChain regionProvider,
      @Nullable UserAgentProvider userAgentProvider,
      @Nullable @Named(SfnClient.SERVICE_NAME) AWSServiceConfiguration configuration) {
    super(credentialsProvider, regionProvider, userAgentProvider, configuration);
  }

  @Override
  protected SfnClientBuilder createSyncBuilder() {
    return SfnClient.builder();
  }

  @Override
  protected SfnAsyncClientBuilder createAsyncBuilder() {
    return SfnAsyncClient.builder();
  }

  @Override
  @Singleton
  public SfnClientBuilder syncBuilder(SdkHttpClient httpClient) {
    return super.syncBuilder(httpClient);
  }

  @Override
  @Bean(preDestroy = "close")
  @Singleton
  public SfnClient syncClient(SfnClientBuilder builder) {
    return super.syncClient(builder);
  }

  // The async variants are required by the generic base; nothing here uses them, so no bean is
  // declared.
}
