package io.stepwise.crac;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.store.StoreConfig;
import io.stepwise.testing.LocalServicesBase;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** The SnapStart priming really calls DynamoDB (Local here) and round-trips the step payloads. */
@MicronautTest(environments = {"test", "scripted"})
class SnapStartPrimingIT extends LocalServicesBase {

  @Inject SnapStartPriming priming;
  @Inject DynamoDbClient dynamo;
  @Inject JsonMapper json;

  @Test
  void beforeCheckpoint_describesTheStateTableAndRoundTripsThePayloads() {
    assertThatCode(() -> priming.beforeCheckpoint(null)).doesNotThrowAnyException();
  }

  @Test
  void priming_reachesDynamoDb_soAMissingTableFailsThePublishNotTheFirstRequest() {
    StoreConfig missing =
        new StoreConfig("no-such-table", Duration.ofDays(30), Duration.ofHours(24), 4096, 358400);
    assertThatThrownBy(() -> new SnapStartPriming(dynamo, missing, json).prime())
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
