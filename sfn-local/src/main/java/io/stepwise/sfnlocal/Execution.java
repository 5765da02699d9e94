package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One execution and its history. Mutated only by its runner thread and the operations (under this
 * object's lock). {@code resumeState}/{@code resumeInput} are where a redrive starts: the state
 * that failed, with the input it had. {@code replayState}/{@code replayInput} are where a resume
 * after a crash starts: the last task state that completed, so that a result the local store
 * acknowledged but had not yet made durable is redone (DynamoDB Local acknowledges a
 * TransactWriteItems before it is on disk; a SIGKILL right after loses it). Replaying a completed
 * step is cheap because the step runtime returns its checkpoint without running it.
 *
 * <p>{@code statusEvents} is the execution's outbox: every status-change event, in order, persisted
 * with the execution before it is delivered; the first {@code statusEventsDelivered} of them have
 * been delivered (the listener returned). Delivery is in order, so one counter says which are done.
 */
final class Execution {

  final String arn;
  final String name;
  final String stateMachineArn;
  final String input;
  final Instant startDate;

  String status = "RUNNING";
  Instant stopDate;
  String output;
  String error;
  String cause;
  int redriveCount;
  Instant redriveDate;
  String resumeState;
  JsonNode resumeInput;

  /** The workflow variables when the redrive state was entered. */
  ObjectNode resumeVars;

  /**
   * The execution role (the state machine's), for ExecutionStarted and {@code
   * $$.Execution.RoleArn}.
   */
  String roleArn = "arn:aws:iam::" + StepFunctionsEmulator.ACCOUNT + ":role/stepwise-local";

  /** The mock-config test case this execution runs ({@code stateMachineArn#testCase}), or null. */
  MockConfig.TestCase testCase;

  /**
   * An Express execution (StartSyncExecution) or a TestState run: not kept, persisted or announced.
   */
  boolean express;

  String replayState;
  JsonNode replayInput;
  volatile boolean stopRequested;
  Thread runner;
  private final List<ObjectNode> events = new ArrayList<>();
  final List<String> statusEvents = new ArrayList<>();
  int statusEventsDelivered;

  /**
   * Deliveries that failed in a row since the last success (not persisted: it only paces retries).
   */
  int deliveryFailures;

  /**
   * A delivery retry is scheduled (not persisted): until it runs, new events wait for it rather
   * than racing it.
   */
  boolean retryPending;

  Execution(String arn, String name, String stateMachineArn, String input, Instant startDate) {
    this.arn = arn;
    this.name = name;
    this.stateMachineArn = stateMachineArn;
    this.input = input;
    this.startDate = startDate;
  }

  /**
   * Outputs of the branches or iterations of a top-level Parallel or Map state that succeeded, by
   * state and index.
   */
  private final Map<String, JsonNode> branchOutputs = new HashMap<>();

  synchronized JsonNode branchOutput(String state, int index) {
    return branchOutputs.get(state + "#" + index);
  }

  synchronized void keepBranchOutput(String state, int index, JsonNode output) {
    branchOutputs.put(state + "#" + index, output);
  }

  synchronized void dropBranchOutputs(String state) {
    branchOutputs.keySet().removeIf(k -> k.startsWith(state + "#"));
  }

  synchronized ObjectNode branchOutputsJson() {
    ObjectNode json = Paths.JSON.createObjectNode();
    branchOutputs.forEach(json::set);
    return json;
  }

  synchronized void restoreBranchOutputs(JsonNode json) {
    if (json != null && json.isObject()) {
      json.fields().forEachRemaining(f -> branchOutputs.put(f.getKey(), f.getValue()));
    }
  }

  /**
   * Callback tasks ({@code .waitForTaskToken}), the latest at each key (state, behind its branch or
   * iteration). A finished one stays until its key is entered again, so that a resume replaying a
   * completed callback state takes its result instead of waiting again.
   */
  private final Map<String, Callback> callbacks = new LinkedHashMap<>();

  /** Tokens of callback tasks no longer kept: their tasks have ended. */
  private final Set<String> closedTokens = new LinkedHashSet<>();

  /** Keeps a new callback task at its key; the one it replaces is closed. */
  synchronized void putCallback(Callback callback) {
    Callback old = callbacks.put(callback.key, callback);
    if (old != null) {
      old.close(Callback.Outcome.closed());
      closedTokens.add(old.token);
    }
  }

  /** The callback task of this token, or null when its task is no longer kept. */
  synchronized Callback callback(String token) {
    for (Callback c : callbacks.values()) {
      if (c.token.equals(token)) {
        return c;
      }
    }
    return null;
  }

  /**
   * The callback task at this key that a resumed run picks up (then no longer), or null when there
   * is none.
   */
  synchronized Callback restoredCallback(String key) {
    Callback c = callbacks.get(key);
    if (c == null || !c.restored) {
      return null;
    }
    c.restored = false;
    return c;
  }

  synchronized List<Callback> callbacks() {
    return List.copyOf(callbacks.values());
  }

  synchronized List<String> closedTokens() {
    return List.copyOf(closedTokens);
  }

  /** Re-adds a callback task read back from disk. */
  synchronized void restoreCallback(Callback callback) {
    callbacks.put(callback.key, callback);
  }

  synchronized void restoreClosedToken(String token) {
    closedTokens.add(token);
  }

  /** The execution ended: every callback task still waiting is closed (its token TaskTimedOut). */
  synchronized void closeCallbacks() {
    callbacks.values().forEach(c -> c.close(Callback.Outcome.closed()));
  }

  /** A redrive: no callback task is kept, each re-run callback state gets a new token. */
  synchronized void dropCallbacks() {
    closeCallbacks();
    callbacks.values().forEach(c -> closedTokens.add(c.token));
    callbacks.clear();
  }

  /**
   * The mocked response of this state's next call under the execution's test case; null when not
   * mocked.
   */
  JsonNode mockedResponse(String stateName) {
    return testCase == null ? null : testCase.next(stateName);
  }

  /** Appends a history event of an AWS type with its details object (may be null). */
  synchronized void event(String type, String detailsField, ObjectNode details) {
    ObjectNode e = Paths.JSON.createObjectNode();
    e.put("timestamp", Instant.now().toEpochMilli() / 1000.0);
    e.put("type", type);
    e.put("id", events.size() + 1);
    e.put("previousEventId", events.size());
    if (detailsField != null && details != null) {
      e.set(detailsField, details);
    }
    events.add(e);
  }

  /** Re-adds an event read back from disk. */
  synchronized void restoreEvent(ObjectNode event) {
    events.add(event);
  }

  synchronized List<ObjectNode> events() {
    return List.copyOf(events);
  }

  /** The next status event to deliver, or null when all have been. */
  synchronized String nextStatusEvent() {
    return statusEventsDelivered < statusEvents.size()
        ? statusEvents.get(statusEventsDelivered)
        : null;
  }

  boolean redrivable() {
    return (status.equals("FAILED") || status.equals("ABORTED") || status.equals("TIMED_OUT"))
        && resumeState != null;
  }
}
