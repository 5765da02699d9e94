package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packaged runtime killed while tasks await review (issue 24). */
class CrashAwaitingReviewIT extends PackagedRuntimeCrashes {

  /**
   * Issue 24: a task awaiting review survives a kill -9 of the runtime: after the restart on the
   * same data the review is still open (the emulator kept the task token), approving it publishes
   * once, and nothing before the review runs again. Each trial kills the runtime with a few tasks
   * waiting.
   */
  @Test
  void killedWhileTasksAwaitReview_theReviewsStayOpen_andApprovingPublishesOnce() throws Exception {
    start("crash-review", "crash-review-0.log");
    List<String> problems = new ArrayList<>();
    int trials = 2;
    int waiting = 3;
    for (int trial = 1; trial <= trials; trial++) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < waiting; i++) {
        ids.add(
            call(api, "POST", "/api/tasks", "{\"maxPapers\":1,\"review\":true}")
                .path("taskId")
                .asText());
      }
      for (String id : ids) {
        LocalApi.awaitStatus(URI.create("http://localhost:" + api), id, "awaiting_review");
      }
      process.destroyForcibly().waitFor();
      relaunch("crash-review-" + trial + ".log");
      for (String id : ids) {
        JsonNode task = call(api, "GET", "/api/tasks/" + id, null);
        if (!task.path("status").asText().equals("awaiting_review")) {
          problems.add(id + " is " + task.path("status").asText() + " after the restart");
          continue;
        }
        call(api, "POST", "/api/tasks/" + id + "/review", "{\"decision\":\"approve\"}");
      }
      for (String id : ids) {
        JsonNode task = call(api, "GET", "/api/tasks/" + id, null);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!isFinal(task) && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
          task = call(api, "GET", "/api/tasks/" + id, null);
        }
        JsonNode steps = task.path("steps");
        JsonNode published =
            call(api, "GET", "/api/tasks/" + id + "/checkpoint", null)
                .path("steps")
                .path("publish")
                .path("output")
                .path("posts");
        if (!task.path("status").asText().equals("succeeded")
            || steps.get(5).path("executions").asInt() != 1
            || steps.get(3).path("executions").asInt() != 1
            || published.size() != 1) {
          problems.add(
              id
                  + ": "
                  + task.path("status").asText()
                  + ", publish ran "
                  + steps.get(5).path("executions").asInt()
                  + " times, build_payload "
                  + steps.get(3).path("executions").asInt());
        }
      }
    }
    System.out.printf(
        "crash while awaiting review: %d trials x %d tasks, %d problems%n",
        trials, waiting, problems.size());
    assertThat(problems).isEmpty();
  }
}
