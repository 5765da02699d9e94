package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packaged runtime killed late in a run of ten tasks, in trials (issue 12). */
class CrashLateInARunIT extends PackagedRuntimeCrashes {

  /**
   * 2 by default (about a minute on an idle machine); {@code -Dstepwise.crash.trials=N} for more.
   */
  private static final int TRIALS = Integer.getInteger("stepwise.crash.trials", 2);

  private static final int TASKS_PER_TRIAL = 10;

  /**
   * Issue 12: a kill late in a run used to leave tasks running whose execution had succeeded,
   * because the status event was lost. Now the emulator delivers the events it had persisted but
   * not delivered, and the reconciler (on start, then every second at this time scale) repairs a
   * task whose update DynamoDB Local lost in the kill. Each trial kills the runtime once some of
   * its ten tasks have succeeded (later in each trial), restarts it on the same data, and requires
   * every task to end: succeeded, or failed with a reason. A step may run again (the kill can lose
   * the last second of DynamoDB Local's writes); a task left running is a failure.
   */
  @Test
  void killedLateInARun_restartedOnTheSameData_everyTaskReachesAFinalStatus() throws Exception {
    start("crash-trials", "crash-trial-0.log");
    List<String> unfinished = new ArrayList<>();
    for (int trial = 1; trial <= TRIALS; trial++) {
      // a slow model and staggered starts spread the run, so that the kill finds tasks done, some
      // publishing and
      // some still analysing
      call(api, "PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":400}");
      long succeededBefore = call(api, "GET", "/api/tasks/stats", null).path("succeeded").asLong(0);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < TASKS_PER_TRIAL; i++) {
        ids.add(call(api, "POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText());
        Thread.sleep(100);
      }
      int killAfter = 1 + 3 * trial; // 4, 7, ... of 10 succeeded: late in the run, later each time
      Instant runDeadline = Instant.now().plus(Duration.ofSeconds(60));
      long succeeded = 0;
      while ((succeeded =
                  call(api, "GET", "/api/tasks/stats", null).path("succeeded").asLong(0)
                      - succeededBefore)
              < killAfter
          && Instant.now().isBefore(runDeadline)) {
        Thread.sleep(20);
      }
      process.destroyForcibly().waitFor();
      System.out.printf(
          "crash trial %d: killed with %d of %d tasks succeeded%n", trial, succeeded, ids.size());

      relaunch("crash-trial-" + trial + ".log");
      Instant deadline = Instant.now().plus(Duration.ofSeconds(45));
      for (String id : ids) {
        JsonNode task = call(api, "GET", "/api/tasks/" + id, null);
        while (!isFinal(task) && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
          task = call(api, "GET", "/api/tasks/" + id, null);
        }
        if (!isFinal(task)) {
          unfinished.add(
              "trial "
                  + trial
                  + ": "
                  + id
                  + " "
                  + task.path("status").asText()
                  + " at "
                  + task.path("currentStep").asText());
        } else if (task.path("status").asText().equals("failed")) {
          assertThat(task.path("error").isObject()).as("a failed task says why: %s", task).isTrue();
        }
      }
    }
    System.out.printf("%d crash trials, %d tasks left unfinished%n", TRIALS, unfinished.size());
    assertThat(unfinished)
        .as("tasks that never reached a final status after the restart")
        .isEmpty();
  }
}
