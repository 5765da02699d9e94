package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The emulator as {@code sfn --data-dir} runs it alone: stopped mid-execution and started again, it
 * carries on.
 */
class EmulatorMainIT {

  private static final String DEFINITION =
      """
      {"StartAt":"Pause","States":{
        "Pause":{"Type":"Wait","Seconds":2,"Next":"Done"},
        "Done":{"Type":"Pass","Result":{"finished":true},"End":true}}}
      """;

  private static SfnClient client(StepFunctionsEmulator emulator) {
    return SfnClient.builder()
        .endpointOverride(emulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @Test
  void dataDir_keepsStateMachinesAndExecutions_andResumesTheRunningOnesAfterARestart()
      throws Exception {
    Path dir = Files.createTempDirectory("sfn-data");
    String[] args = {"--port", "0", "--time-scale", "1", "--data-dir", dir.toString()};
    String arn;
    try (StepFunctionsEmulator first = EmulatorMain.start(args);
        SfnClient sfn = client(first)) {
      String machine =
          sfn.createStateMachine(
                  b ->
                      b.name("alone")
                          .definition(DEFINITION)
                          .roleArn("arn:aws:iam::000000000000:role/x"))
              .stateMachineArn();
      arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("e1")).executionArn();
      assertThat(sfn.describeExecution(b -> b.executionArn(arn)).status())
          .isEqualTo(ExecutionStatus.RUNNING);
    }

    try (StepFunctionsEmulator second = EmulatorMain.start(args);
        SfnClient sfn = client(second)) {
      assertThat(sfn.listStateMachines().stateMachines())
          .extracting(m -> m.name())
          .containsExactly("alone");
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      ExecutionStatus status = sfn.describeExecution(b -> b.executionArn(arn)).status();
      while (status == ExecutionStatus.RUNNING && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
        status = sfn.describeExecution(b -> b.executionArn(arn)).status();
      }
      assertThat(status).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(sfn.describeExecution(b -> b.executionArn(arn)).output())
          .isEqualTo("{\"finished\":true}");
    }
  }

  @Test
  void restoredStateMachine_takesAnEditedDefinitionOnce_thenBehavesAsOnAws() throws Exception {
    Path dir = Files.createTempDirectory("sfn-data");
    String[] args = {"--port", "0", "--data-dir", dir.toString()};
    try (StepFunctionsEmulator first = EmulatorMain.start(args)) {
      first.createStateMachine("edited", DEFINITION);
    }
    String edited = DEFINITION.replace("\"Seconds\":2", "\"Seconds\":1");
    try (StepFunctionsEmulator second = EmulatorMain.start(args);
        SfnClient sfn = client(second)) {
      String arn = second.createStateMachine("edited", edited);

      assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition())
          .isEqualTo(edited);
      Assertions.assertThatThrownBy(() -> second.createStateMachine("edited", DEFINITION))
          .hasMessageContaining("State Machine Already Exists");
    }
  }
}
