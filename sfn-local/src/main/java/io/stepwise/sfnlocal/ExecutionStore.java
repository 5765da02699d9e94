package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Executions on disk, one JSON file each, rewritten atomically (temp file + rename) on every
 * change, so that a crash at any moment leaves the last complete snapshot: status, history, and
 * where a redrive or a resume starts. State machines are kept beside them (in {@code
 * state-machines/}), so that a restarted emulator can resume executions without being told their
 * definitions again. Each execution's file also holds its status-event outbox (the events, and how
 * many were delivered), so that an event is on disk before any listener sees it and one a crash
 * left undelivered is delivered after the restart. Callback tasks are kept with their tokens,
 * deadlines and outcomes, and the tokens of ended ones, so that a token handed out before a restart
 * is still answered after it.
 */
final class ExecutionStore {

  private final Path dir;
  private final Path machines;
  private boolean closed;

  ExecutionStore(Path dir) {
    try {
      this.dir = Files.createDirectories(dir);
      this.machines = Files.createDirectories(dir.resolve("state-machines"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * No write after this returns: an emulator that was closed (as a crash would end it) must not
   * touch the directory that a new emulator may already be reading, even from an execution thread
   * that has not yet seen the interrupt.
   */
  synchronized void close() {
    closed = true;
  }

  synchronized void save(StepFunctionsEmulator.Machine m) {
    if (closed) {
      return;
    }
    ObjectNode json =
        Paths.JSON
            .createObjectNode()
            .put("arn", m.arn())
            .put("name", m.name())
            .put("definition", m.definition())
            .put("roleArn", m.roleArn())
            .put("created", m.created().toString())
            .put("type", m.type());
    write(machines, m.arn(), json);
  }

  /**
   * DeleteStateMachine: the definition is gone after a restart too (its executions' files stay).
   */
  synchronized void delete(StepFunctionsEmulator.Machine m) {
    if (closed) {
      return;
    }
    try {
      Files.deleteIfExists(machines.resolve(fileName(m.arn())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + m.arn(), e);
    }
  }

  List<StepFunctionsEmulator.Machine> loadMachines() {
    List<StepFunctionsEmulator.Machine> all = new ArrayList<>();
    for (JsonNode j : readAll(machines)) {
      try {
        all.add(
            new StepFunctionsEmulator.Machine(
                j.path("arn").asText(),
                j.path("name").asText(),
                j.path("definition").asText(),
                Paths.JSON.readTree(j.path("definition").asText()),
                j.path("roleArn").asText(),
                Instant.parse(j.path("created").asText()),
                true,
                j.path("type").asText("STANDARD")));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "unreadable state machine " + j.path("arn").asText() + " in " + machines, e);
      }
    }
    all.sort((a, b) -> a.created().compareTo(b.created()));
    return all;
  }

  synchronized void save(Execution ex) {
    if (closed) {
      return;
    }
    ObjectNode json;
    synchronized (ex) {
      json = Paths.JSON.createObjectNode();
      json.put("arn", ex.arn)
          .put("name", ex.name)
          .put("stateMachineArn", ex.stateMachineArn)
          .put("input", ex.input)
          .put("startDate", ex.startDate.toString())
          .put("status", ex.status)
          .put("redriveCount", ex.redriveCount)
          .put("stopDate", ex.stopDate == null ? null : ex.stopDate.toString())
          .put("redriveDate", ex.redriveDate == null ? null : ex.redriveDate.toString())
          .put("output", ex.output)
          .put("error", ex.error)
          .put("cause", ex.cause)
          .put("resumeState", ex.resumeState)
          .put("replayState", ex.replayState);
      json.set("resumeInput", ex.resumeInput);
      json.set("resumeVars", ex.resumeVars);
      json.set("branchOutputs", ex.branchOutputsJson());
      json.put("roleArn", ex.roleArn);
      json.set("replayInput", ex.replayInput);
      ArrayNode events = json.putArray("events");
      ex.events().forEach(events::add);
      ArrayNode outbox = json.putArray("statusEvents");
      ex.statusEvents.forEach(outbox::add);
      json.put("statusEventsDelivered", ex.statusEventsDelivered);
      ArrayNode callbacks = json.putArray("callbacks");
      for (Callback c : ex.callbacks()) {
        ObjectNode cb =
            callbacks
                .addObject()
                .put("token", c.token)
                .put("key", c.key)
                .put("timeoutSeconds", c.timeoutSeconds)
                .put("heartbeatSeconds", c.heartbeatSeconds)
                .put("timeoutAt", c.timeoutAt)
                .put("consumed", c.consumed);
        Callback.Outcome o = c.outcome();
        if (o != null) {
          ObjectNode outcome =
              cb.putObject("outcome")
                  .put("kind", o.kind().name())
                  .put("error", o.error())
                  .put("cause", o.cause());
          outcome.set("output", o.output());
        }
      }
      ArrayNode closed = json.putArray("closedTokens");
      ex.closedTokens().forEach(closed::add);
    }
    write(dir, ex.arn, json);
  }

  private static void write(Path folder, String arn, ObjectNode json) {
    Path target = folder.resolve(fileName(arn));
    try {
      Path tmp = Files.createTempFile(folder, ".execution", ".tmp");
      Files.writeString(tmp, json.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist " + arn, e);
    }
  }

  List<Execution> loadAll() {
    List<Execution> all = new ArrayList<>();
    for (JsonNode j : readAll(dir)) {
      all.add(read(j));
    }
    all.sort((a, b) -> a.startDate.compareTo(b.startDate));
    return all;
  }

  private static List<JsonNode> readAll(Path folder) {
    List<JsonNode> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        all.add(Paths.JSON.readTree(Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder, e);
    }
    return all;
  }

  private static Execution read(JsonNode j) {
    Execution ex =
        new Execution(
            j.path("arn").asText(),
            j.path("name").asText(),
            j.path("stateMachineArn").asText(),
            j.path("input").asText(),
            Instant.parse(j.path("startDate").asText()));
    ex.status = j.path("status").asText();
    ex.redriveCount = j.path("redriveCount").asInt();
    ex.stopDate = instant(j.get("stopDate"));
    ex.redriveDate = instant(j.get("redriveDate"));
    ex.output = text(j.get("output"));
    ex.error = text(j.get("error"));
    ex.cause = text(j.get("cause"));
    ex.resumeState = text(j.get("resumeState"));
    ex.resumeInput = node(j.get("resumeInput"));
    ex.resumeVars = node(j.get("resumeVars")) instanceof ObjectNode vars ? vars : null;
    ex.roleArn = j.path("roleArn").asText(ex.roleArn);
    ex.restoreBranchOutputs(j.get("branchOutputs"));
    ex.replayState = text(j.get("replayState"));
    ex.replayInput = node(j.get("replayInput"));
    j.path("events").forEach(e -> ex.restoreEvent((ObjectNode) e));
    j.path("statusEvents").forEach(e -> ex.statusEvents.add(e.asText()));
    ex.statusEventsDelivered = j.path("statusEventsDelivered").asInt(0);
    for (JsonNode c : j.path("callbacks")) {
      Callback callback =
          new Callback(
              c.path("token").asText(),
              c.path("key").asText(),
              c.path("timeoutSeconds").asInt(Callback.NO_TIMEOUT),
              c.path("heartbeatSeconds").asInt(Callback.NO_TIMEOUT),
              c.path("timeoutAt").asLong(Long.MAX_VALUE));
      JsonNode o = c.get("outcome");
      if (o != null && o.isObject()) {
        Callback.Kind kind = Callback.Kind.valueOf(o.path("kind").asText());
        callback.close(
            new Callback.Outcome(
                kind,
                kind == Callback.Kind.SUCCEEDED ? o.path("output") : null,
                text(o.get("error")),
                text(o.get("cause"))));
      }
      callback.consumed = c.path("consumed").asBoolean(false);
      ex.restoreCallback(callback);
    }
    j.path("closedTokens").forEach(t -> ex.restoreClosedToken(t.asText()));
    return ex;
  }

  private static JsonNode node(JsonNode node) {
    return node == null || node.isNull() ? null : node;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static Instant instant(JsonNode node) {
    return node == null || node.isNull() ? null : Instant.parse(node.asText());
  }

  private static String fileName(String arn) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16) + ".json";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
