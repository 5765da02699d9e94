package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Status events are persisted with their execution before they are delivered, so that an emulator
 * that stops before delivering one (a crash; a listener that throws or never returns) leaves it for
 * the next emulator on the same directory, which delivers it in order and does not deliver again
 * what was delivered.
 */
class StatusEventRedeliveryIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFINITION =
      """
      {"StartAt":"Work","States":{"Work":{"Type":"Pass","Result":{"done":true},"End":true}}}""";

  /** What a listener received: "name:STATUS" per event, in delivery order. */
  private final List<String> received = new CopyOnWriteArrayList<>();

  private Consumer<String> recording() {
    return json -> received.add(describe(json));
  }

  private static String describe(String json) {
    try {
      JsonNode detail = JSON.readTree(json).path("detail");
      return detail.path("name").asText() + ":" + detail.path("status").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StepFunctionsEmulator emulator(Path dir, Consumer<String> listener) {
    return StepFunctionsEmulator.builder()
        .timeScale(0.001)
        .statusEvents(listener)
        .stateDir(dir)
        .start();
  }

  private static void awaitEnded(StepFunctionsEmulator emulator, String arn)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (emulator.execution(arn).orElseThrow().status().equals("RUNNING")
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(10);
    }
    assertThat(emulator.execution(arn).orElseThrow().status()).isEqualTo("SUCCEEDED");
  }

  private void awaitReceived(int count) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (received.size() < count && Instant.now().isBefore(deadline)) {
      Thread.sleep(10);
    }
  }

  private static List<String> start(StepFunctionsEmulator emulator, int executions)
      throws InterruptedException {
    String machine = emulator.createStateMachine("events", DEFINITION);
    List<String> arns = new ArrayList<>();
    try (SfnClient sfn =
        SfnClient.builder()
            .endpointOverride(emulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      for (int i = 1; i <= executions; i++) {
        String name = "e" + i;
        arns.add(
            sfn.startExecution(b -> b.stateMachineArn(machine).name(name).input("{}"))
                .executionArn());
      }
    }
    for (String arn : arns) {
      awaitEnded(emulator, arn);
    }
    return arns;
  }

  @Test
  void listenerDownUntilTheCrash_newEmulatorDeliversEveryEventInOrderPerExecution()
      throws Exception {
    Path dir = Files.createTempDirectory("emulator-events");
    try (StepFunctionsEmulator first =
        emulator(
            dir,
            json -> {
              throw new IllegalStateException("target unavailable");
            })) {
      start(first, 3);
    }

    try (StepFunctionsEmulator second = emulator(dir, recording())) {
      assertThat(received)
          .as("nothing is delivered before resume: the listener may not be ready")
          .isEmpty();
      assertThat(second.resume(StepFunctionsEmulator.stateMachineArn("events")))
          .as("all had ended")
          .isZero();
      awaitReceived(6);
    }
    assertThat(received).hasSize(6);
    for (String name : List.of("e1", "e2", "e3")) {
      assertThat(received.stream().filter(e -> e.startsWith(name + ":")).toList())
          .as("the events of %s, in order", name)
          .containsExactly(name + ":RUNNING", name + ":SUCCEEDED");
    }
  }

  @Test
  void crashWhileTheListenerHandlesAnEvent_thatEventIsDeliveredAgain_andOnlyThat()
      throws Exception {
    Path dir = Files.createTempDirectory("emulator-events");
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch crashed = new CountDownLatch(1);
    try (StepFunctionsEmulator first =
        emulator(
            dir,
            json -> {
              received.add(describe(json));
              if (json.contains("\"SUCCEEDED\"")) {
                inFlight.countDown();
                // the listener is still handling the event when the process dies: it never returns
                // to the emulator
                try {
                  crashed.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            })) {
      start(first, 1);
      assertThat(inFlight.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      crashed.countDown();
    }
    assertThat(received).containsExactly("e1:RUNNING", "e1:SUCCEEDED");
    received.clear();

    try (StepFunctionsEmulator second = emulator(dir, recording())) {
      second.resume(StepFunctionsEmulator.stateMachineArn("events"));
      awaitReceived(1);
      Thread.sleep(200); // nothing else arrives
    }
    assertThat(received)
        .as("at least once: the unacknowledged event again, the acknowledged one not")
        .containsExactly("e1:SUCCEEDED");
  }

  @Test
  void listenerThrowsForAWhile_theEventIsRetriedAndLaterOnesWaitBehindIt() throws Exception {
    Path dir = Files.createTempDirectory("emulator-events");
    AtomicInteger failuresLeft = new AtomicInteger(2);
    try (StepFunctionsEmulator emulator =
        emulator(
            dir,
            json -> {
              if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("target busy");
              }
              received.add(describe(json));
            })) {
      start(emulator, 1);
      awaitReceived(2);
    }
    assertThat(received).containsExactly("e1:RUNNING", "e1:SUCCEEDED");
  }

  @Test
  void everyEventDeliveredBeforeTheRestart_nothingIsDeliveredAfterIt() throws Exception {
    Path dir = Files.createTempDirectory("emulator-events");
    try (StepFunctionsEmulator first = emulator(dir, recording())) {
      start(first, 2);
      awaitReceived(4);
      Thread.sleep(100); // the last acknowledgement is persisted after the listener returns
    }
    assertThat(received).hasSize(4);
    received.clear();

    try (StepFunctionsEmulator second = emulator(dir, recording())) {
      second.resume(StepFunctionsEmulator.stateMachineArn("events"));
      Thread.sleep(300);
    }
    assertThat(received).isEmpty();
  }
}
