package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.testing.LocalDynamo;
import io.stepwise.testing.LocalServicesBase;
import org.junit.jupiter.api.Test;

/**
 * The api's SnapStart priming (a CRaC checkpoint cannot be taken here: the JVM has no CRaC) goes
 * through the real request path against DynamoDB Local, gets the unknown-task answer and changes
 * nothing.
 */
@MicronautTest(environments = {"test", "scripted"})
class ApiPrimingIT extends LocalServicesBase {

  @Test
  void primingRequest_answersNotFound_andWritesNothing() {
    ApiFunction function = new ApiFunction(context);

    APIGatewayV2HTTPResponse response = function.prime();

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(404);
    assertThat(response.getBody()).contains("snapstart-priming");
    assertThat(LocalDynamo.client().scan(b -> b.tableName(table)).count()).isZero();
  }

  @Test
  void beforeCheckpoint_primesWithoutFailing() {
    assertThatCode(() -> new ApiFunction(context).beforeCheckpoint(null))
        .doesNotThrowAnyException();
  }
}
