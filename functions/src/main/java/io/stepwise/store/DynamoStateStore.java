package io.stepwise.store;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.stepwise.blobs.BlobStore;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.ItemPlan;
import io.stepwise.model.ItemUsage;
import io.stepwise.model.Step;
import io.stepwise.model.StepState;
import io.stepwise.model.Task;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import io.stepwise.model.Times;
import io.stepwise.model.Usage;
import io.stepwise.steps.ItemRecords;
import io.stepwise.steps.StepStore;
import io.stepwise.tasks.InvalidCursorException;
import io.stepwise.tasks.TaskChanges;
import io.stepwise.tasks.TaskRepository;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The state table through the DynamoDB API. Conditional writes make every change safe to attempt
 * twice: a lost race returns false and writes nothing. Items whose {@code expiresAt} has passed are
 * treated as absent, because TTL deletion is lazy.
 */
@Singleton
public class DynamoStateStore implements TaskRepository, StepStore, ItemRecords {

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;
  private final StoreConfig config;
  private final TaskItems items;
  private final OutputCodec outputs;

  public DynamoStateStore(
      DynamoDbClient dynamo,
      StoreConfig config,
      JsonMapper json,
      Clock clock,
      @Nullable BlobStore blobs,
      @Value("${stepwise.pipelines.default}") String defaultPipeline) {
    this.dynamo = dynamo;
    this.table = config.tableName();
    this.clock = clock;
    this.config = config;
    this.items = new TaskItems(json, defaultPipeline);
    this.outputs = new OutputCodec(blobs, config.gzipThresholdBytes(), config.inlineLimitBytes());
  }

  // ---- tasks
  // -------------------------------------------------------------------------------------------

  @Override
  public boolean insert(Task task) {
    try {
      dynamo.putItem(
          b ->
              b.tableName(table)
                  .item(items.toItem(task))
                  .conditionExpression("attribute_not_exists(PK)"));
      TaskChanges.created(task);
      return true;
    } catch (ConditionalCheckFailedException exists) {
      return false;
    }
  }

  @Override
  public Optional<Task> find(String taskId) {
    Map<String, AttributeValue> item =
        dynamo.getItem(b -> b.tableName(table).key(Keys.task(taskId)).consistentRead(true)).item();
    return item == null || item.isEmpty() || expired(item)
        ? Optional.empty()
        : Optional.of(items.fromItem(item));
  }

  @Override
  public Optional<TaskRecord> load(String taskId) {
    Task task = null;
    Map<String, Checkpoint> checkpoints = new HashMap<>();
    Map<String, String> results = new HashMap<>();
    List<ItemPlan> plans = new ArrayList<>();
    Map<String, ItemUsage> itemUsage = new HashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page = queryPartition(taskId, start);
      for (Map<String, AttributeValue> item : page.items()) {
        if (expired(item)) {
          continue;
        }
        String sk = Attrs.str(item, StateTable.SORT_KEY);
        if (sk.equals(Keys.META)) {
          task = items.fromItem(item);
        } else if (sk.contains(Keys.ARCHIVE_INFIX)) {
          continue; // an earlier run's replaced checkpoint: only runCheckpoints reads those
        } else if (sk.contains(Keys.ITEM_INFIX)) {
          String key = itemKey(sk);
          outputs.decode(item).ifPresent(v -> results.put(key, v));
          plan(item).ifPresent(plans::add);
          Attrs.map(item, "usage").ifPresent(u -> itemUsage.put(key, UsageAttrs.itemUsage(u)));
        } else {
          checkpoint(item).ifPresent(c -> checkpoints.put(c.step(), c));
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return task == null
        ? Optional.empty()
        : Optional.of(new TaskRecord(task, checkpoints, results, plans, itemUsage));
  }

  /** {@code <step>/<itemKey>} of an item record's sort key. */
  private static String itemKey(String sk) {
    String[] parts = sk.split(Keys.ITEM_INFIX, 2);
    return parts[0].substring(parts[0].lastIndexOf('#') + 1) + "/" + parts[1];
  }

  private static Optional<ItemPlan> plan(Map<String, AttributeValue> item) {
    AttributeValue keys = item.get(PLAN_KEYS);
    String run = Attrs.str(item, PLAN_RUN);
    if (keys == null || run == null || !keys.hasL()) {
      return Optional.empty();
    }
    String step = itemKey(Attrs.str(item, StateTable.SORT_KEY)).split("/", 2)[0];
    return Optional.of(new ItemPlan(step, run, keys.l().stream().map(AttributeValue::s).toList()));
  }

  /**
   * The step's item records without their results (a projection), for progress in task lists; only
   * asked for a running step. Consistent, like every other read of a task.
   */
  @Override
  public Marks read(String taskId, Step step) {
    Set<String> keys = new HashSet<>();
    List<ItemPlan> plans = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page =
          dynamo.query(
              b ->
                  b.tableName(table)
                      .consistentRead(true)
                      .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                      .expressionAttributeValues(
                          Map.of(
                              ":pk", AttributeValue.fromS(Keys.taskPartition(taskId)),
                              ":prefix",
                                  AttributeValue.fromS(Keys.stepSort(step) + Keys.ITEM_INFIX)))
                      .projectionExpression("SK, #ttl, " + PLAN_RUN + ", " + PLAN_KEYS)
                      .expressionAttributeNames(Map.of("#ttl", StateTable.TTL_ATTRIBUTE))
                      .exclusiveStartKey(from));
      for (Map<String, AttributeValue> item : page.items()) {
        if (!expired(item)) {
          keys.add(itemKey(Attrs.str(item, StateTable.SORT_KEY)));
          plan(item).ifPresent(plans::add);
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return new Marks(keys, plans);
  }

  private static final String PLAN_RUN = "planRun";
  private static final String PLAN_KEYS = "planKeys";

  private QueryResponse queryPartition(String taskId, Map<String, AttributeValue> start) {
    return dynamo.query(
        b ->
            b.tableName(table)
                .consistentRead(true)
                .keyConditionExpression("PK = :pk")
                .expressionAttributeValues(
                    Map.of(":pk", AttributeValue.fromS(Keys.taskPartition(taskId))))
                .exclusiveStartKey(start));
  }

  private Optional<Checkpoint> checkpoint(Map<String, AttributeValue> item) {
    Optional<String> step = Optional.ofNullable(Attrs.str(item, "step"));
    return step.flatMap(
        s ->
            outputs
                .decode(item)
                .map(
                    json ->
                        new Checkpoint(
                            s,
                            Attrs.str(item, "runId"),
                            json,
                            Attrs.time(item, "finishedAt"),
                            Attrs.epoch(item, StateTable.TTL_ATTRIBUTE),
                            UsageAttrs.usage(item, "usage"),
                            edits(item))));
  }

  private static List<Checkpoint.Edit> edits(Map<String, AttributeValue> item) {
    if (!item.containsKey(EDITS)) {
      return List.of();
    }
    return item.get(EDITS).l().stream()
        .map(e -> new Checkpoint.Edit(Attrs.str(e.m(), "by"), Attrs.time(e.m(), "at")))
        .toList();
  }

  @Override
  public void archiveCheckpoints(String taskId, List<Step> steps) {
    for (Step step : steps) {
      Map<String, AttributeValue> current =
          dynamo
              .getItem(b -> b.tableName(table).key(Keys.step(taskId, step)).consistentRead(true))
              .item();
      if (current == null
          || current.isEmpty()
          || expired(current)
          || Attrs.str(current, "runId") == null) {
        continue;
      }
      Map<String, AttributeValue> copy = new HashMap<>(current);
      // an edited output goes beside the one its run wrote (kept there by the first edit), not
      // over it
      String runId = Attrs.str(current, "runId");
      copy.putAll(
          Keys.archivedStep(
              taskId, step, current.containsKey(EDITS) ? runId + EDITED_SUFFIX : runId));
      // the output's blob (when offloaded) is already per run: the copy points at the same object
      dynamo.putItem(b -> b.tableName(table).item(copy));
    }
  }

  @Override
  public Map<String, Checkpoint> runCheckpoints(String taskId, String runId) {
    Map<String, Checkpoint> found = new HashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page = queryPartition(taskId, start);
      for (Map<String, AttributeValue> item : page.items()) {
        String sk = Attrs.str(item, StateTable.SORT_KEY);
        boolean archived = sk.endsWith(Keys.ARCHIVE_INFIX + runId);
        boolean current =
            !sk.contains(Keys.ARCHIVE_INFIX)
                && !sk.contains(Keys.ITEM_INFIX)
                && !sk.equals(Keys.META)
                && runId.equals(Attrs.str(item, "runId"));
        if (!expired(item) && (archived || current)) {
          checkpoint(item).ifPresent(c -> found.put(c.step(), c));
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return found;
  }

  @Override
  public Optional<Task> update(Task before, Task after) {
    return startRun(before, after, List.of());
  }

  @Override
  public Optional<Task> startRun(Task before, Task after, List<String> staleSteps) {
    UpdateExpr expr = lifecycle(before, after, staleSteps);
    try {
      dynamo.updateItem(
          b -> b.tableName(table).key(Keys.task(before.taskId())).applyMutation(expr::applyTo));
      TaskChanges.stored(before, after);
      return Optional.of(after.withVersion(before.version() + 1));
    } catch (ConditionalCheckFailedException conflict) {
      return Optional.empty();
    }
  }

  /**
   * The lifecycle update: every lifecycle attribute of {@code after}, guarded by {@code before}'s
   * version.
   */
  private UpdateExpr lifecycle(Task before, Task after, List<String> staleSteps) {
    UpdateExpr expr = new UpdateExpr();
    items.lifecycle(after).forEach(expr::set);
    if (!before.input().equals(after.input())) {
      expr.set("input", items.input(after)); // a rerun with overrides
    }
    if (after.failedStep() == null) {
      expr.remove("failedStep");
    }
    if (after.error() == null) {
      expr.remove("error");
    }
    if (after.review() == null) {
      expr.remove("review");
    }
    for (String step : staleSteps) {
      StepState state = after.steps().get(step);
      if (state != null && before.steps().containsKey(step)) {
        expr.setStep(step, items.stepState(state));
      }
    }
    // The review step's summary is the lifecycle's (no step function runs it): the review
    // function and the decision write it with the task's status.
    StepState review = after.steps().get(Step.REVIEW);
    if (review != null
        && !staleSteps.contains(Step.REVIEW)
        && !review.equals(before.steps().get(Step.REVIEW))) {
      expr.setStep(Step.REVIEW, items.stepState(review));
    }
    expr.set("version", AttributeValue.fromN(Long.toString(before.version() + 1)));
    expr.condition(
        "#version = :expectedVersion",
        ":expectedVersion",
        AttributeValue.fromN(Long.toString(before.version())));
    return expr;
  }

  @Override
  public TaskPage list(
      @Nullable TaskStatus status,
      @Nullable String pipeline,
      int limit,
      @Nullable String cursor,
      @Nullable String ownerId) {
    String before = cursor == null ? null : decodeCursor(cursor);
    List<TaskStatus> statuses = status == null ? List.of(TaskStatus.values()) : List.of(status);
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    for (TaskStatus s : statuses) {
      found.addAll(queryStatus(s, before, limit + 1, ownerId, pipeline));
    }
    String sortKey = StateTable.BY_STATUS.sortKey();
    found.sort(
        Comparator.comparing((Map<String, AttributeValue> i) -> Attrs.str(i, sortKey)).reversed());
    // A task that changes status between two of the per-status queries is found twice: keep its
    // newest state.
    Set<String> seen = new HashSet<>();
    found.removeIf(i -> !seen.add(Attrs.str(i, "taskId")));
    List<Map<String, AttributeValue>> page = found.subList(0, Math.min(limit, found.size()));
    String next =
        found.size() > limit ? encodeCursor(Attrs.str(page.get(page.size() - 1), sortKey)) : null;
    return new TaskPage(page.stream().map(items::fromItem).toList(), next);
  }

  /**
   * Up to {@code limit} live tasks of one status older than the cursor, skipping expired ones and,
   * with an {@code ownerId}, other owners' tasks (with a {@code pipeline}, other pipelines'). The
   * index has no owner or pipeline key, so the others' items are read and dropped here (the loop
   * pages on until {@code limit} match): a filtered listing costs what the tasks newer than its
   * page cost to read, a known limit until a keyed index exists.
   */
  private List<Map<String, AttributeValue>> queryStatus(
      TaskStatus status,
      String before,
      int limit,
      @Nullable String ownerId,
      @Nullable String pipeline) {
    return queryStatus(status, before, false, limit, ownerId, pipeline);
  }

  /** As above; {@code oldestFirst}: ascending, {@code from} then the first key after it. */
  private List<Map<String, AttributeValue>> queryStatus(
      TaskStatus status,
      String from,
      boolean oldestFirst,
      int limit,
      @Nullable String ownerId,
      @Nullable String pipeline) {
    List<Map<String, AttributeValue>> result = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder q =
          statusQuery(status, from, oldestFirst).limit(limit).exclusiveStartKey(start);
      QueryResponse page = dynamo.query(q.build());
      page.items().stream()
          .filter(i -> !expired(i))
          .filter(i -> ownerId == null || ownerId.equals(Attrs.str(i, "ownerId")))
          .filter(i -> pipeline == null || pipeline.equals(items.pipelineOf(i)))
          .forEach(result::add);
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null && result.size() < limit);
    return result.size() > limit ? result.subList(0, limit) : result;
  }

  private QueryRequest.Builder statusQuery(TaskStatus status, String from, boolean oldestFirst) {
    StateTable.Index idx = StateTable.BY_STATUS;
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":pk", AttributeValue.fromS(Keys.statusPartition(status)));
    String condition = idx.partitionKey() + " = :pk";
    if (from != null) {
      condition += " AND " + idx.sortKey() + (oldestFirst ? " > :from" : " < :from");
      values.put(":from", AttributeValue.fromS(from));
    }
    return QueryRequest.builder()
        .tableName(table)
        .indexName(idx.name())
        .keyConditionExpression(condition)
        .expressionAttributeValues(values)
        .scanIndexForward(oldestFirst);
  }

  @Override
  public TaskPage awaitingReview(
      @Nullable String pipeline, int limit, @Nullable String cursor, @Nullable String ownerId) {
    String after = cursor == null ? null : decodeCursor(cursor);
    List<Map<String, AttributeValue>> found =
        queryStatus(TaskStatus.AWAITING_REVIEW, after, true, limit + 1, ownerId, pipeline);
    List<Map<String, AttributeValue>> page = found.subList(0, Math.min(limit, found.size()));
    String next =
        found.size() > limit
            ? encodeCursor(Attrs.str(page.get(page.size() - 1), StateTable.BY_STATUS.sortKey()))
            : null;
    return new TaskPage(page.stream().map(items::fromItem).toList(), next);
  }

  @Override
  public boolean editCheckpoint(
      Task task,
      Step step,
      int editsSeen,
      String outputJson,
      @Nullable String editedBy,
      Instant at) {
    String taskId = task.taskId();
    Map<String, AttributeValue> current =
        dynamo
            .getItem(b -> b.tableName(table).key(Keys.step(taskId, step)).consistentRead(true))
            .item();
    if (current == null || current.isEmpty() || expired(current)) {
      return false;
    }
    String runId = Attrs.str(current, "runId");
    List<AttributeValue> edits =
        current.containsKey(EDITS) ? current.get(EDITS).l() : List.<AttributeValue>of();
    if (edits.size() != editsSeen) {
      return false; // someone else's edit came first
    }
    if (edits.isEmpty()) {
      // the output the run wrote stays readable under that run, as a replaced checkpoint does
      Map<String, AttributeValue> original = new HashMap<>(current);
      original.putAll(Keys.archivedStep(taskId, step, runId));
      dynamo.putItem(b -> b.tableName(table).item(original));
    }
    List<AttributeValue> allEdits = new ArrayList<>(edits);
    allEdits.add(Attrs.of().s("by", editedBy).time("at", at).asMap());
    Map<String, AttributeValue> edited = new HashMap<>(current);
    OutputCodec.ATTRIBUTES.forEach(edited::remove);
    edited.putAll(
        outputs.encode(
            outputJson,
            "checkpoints/"
                + taskId
                + "/"
                + runId
                + "/"
                + step.name()
                + ".edit-"
                + allEdits.size()
                + ".json.gz"));
    edited.put(EDITS, AttributeValue.fromL(allEdits));
    Map<String, AttributeValue> seen = new HashMap<>();
    seen.put(":runId", AttributeValue.fromS(runId));
    seen.put(":edits", AttributeValue.fromN(Integer.toString(editsSeen)));
    String unchanged =
        "runId = :runId AND "
            + (editsSeen == 0
                ? "attribute_not_exists(" + EDITS + ")"
                : "size(" + EDITS + ") = :edits");
    if (editsSeen == 0) {
      seen.remove(":edits");
    }
    return transact(
        List.of(
            TransactWriteItem.builder()
                .conditionCheck(
                    c ->
                        c.tableName(table)
                            .key(Keys.task(taskId))
                            .conditionExpression("#version = :version")
                            .expressionAttributeNames(Map.of("#version", "version"))
                            .expressionAttributeValues(
                                Map.of(
                                    ":version",
                                    AttributeValue.fromN(Long.toString(task.version())))))
                .build(),
            TransactWriteItem.builder()
                .put(
                    p ->
                        p.tableName(table)
                            .item(edited)
                            .conditionExpression(unchanged)
                            .expressionAttributeValues(seen))
                .build()));
  }

  private static final String EDITS = "edits";
  private static final String EDITED_SUFFIX = "#EDITED";

  @Override
  public List<Task> quietSince(TaskStatus status, Instant before, int limit) {
    // The by-status index sorts on "<updatedAt>#<taskId>": every key below "<before>#" is quieter
    // than that.
    return queryStatus(status, Keys.activitySort(before, ""), limit, null, null).stream()
        .map(items::fromItem)
        .toList();
  }

  @Override
  public List<Task> changedBetween(
      TaskStatus status,
      @Nullable Instant since,
      @Nullable Instant until,
      @Nullable String ownerId,
      Predicate<Task> filter,
      int limit) {
    StateTable.Index idx = StateTable.BY_STATUS;
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":pk", AttributeValue.fromS(Keys.statusPartition(status)));
    // Sort keys are "<updatedAt>#<taskId>": "<t>#" sorts below every key of instant t, so BETWEEN
    // "<since>#" and
    // "<until>#" is since inclusive, until exclusive; "0" and "~" sort below and above every
    // timestamp.
    values.put(":from", AttributeValue.fromS(since == null ? "0" : Keys.activitySort(since, "")));
    values.put(":to", AttributeValue.fromS(until == null ? "~" : Keys.activitySort(until, "")));
    List<Task> kept = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page =
          dynamo.query(
              QueryRequest.builder()
                  .tableName(table)
                  .indexName(idx.name())
                  .keyConditionExpression(
                      idx.partitionKey() + " = :pk AND " + idx.sortKey() + " BETWEEN :from AND :to")
                  .expressionAttributeValues(values)
                  .scanIndexForward(false)
                  .exclusiveStartKey(start)
                  .build());
      for (Map<String, AttributeValue> item : page.items()) {
        if (kept.size() < limit
            && !expired(item)
            && (ownerId == null || ownerId.equals(Attrs.str(item, "ownerId")))) {
          Task task = items.fromItem(item);
          if (filter.test(task)) {
            kept.add(task);
          }
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null && kept.size() < limit);
    return kept;
  }

  @Override
  public Map<TaskStatus, Long> countByStatus(@Nullable String ownerId, @Nullable String pipeline) {
    Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
    for (TaskStatus status : TaskStatus.values()) {
      counts.put(status, count(status, ownerId, pipeline));
    }
    return counts;
  }

  @Override
  public long count(TaskStatus status) {
    return count(status, null, null);
  }

  /** One status partition of the by-status index counted, page by page (Select COUNT). */
  private long count(TaskStatus status, @Nullable String ownerId, @Nullable String pipeline) {
    long now = clock.instant().getEpochSecond();
    long count = 0;
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder q =
          statusQuery(status, null, false).select(Select.COUNT).exclusiveStartKey(start);
      // An owner's count reads the whole status partition like the global one (Count is after the
      // filter,
      // the read capacity before it): the same cost, one Query per status and page.
      Map<String, AttributeValue> values =
          new HashMap<>(
              Map.of(
                  ":pk", AttributeValue.fromS(Keys.statusPartition(status)),
                  ":now", AttributeValue.fromN(Long.toString(now))));
      Map<String, String> names = new HashMap<>(Map.of("#ttl", StateTable.TTL_ATTRIBUTE));
      String filter = "(attribute_not_exists(#ttl) OR #ttl > :now)";
      if (ownerId != null) {
        filter += " AND ownerId = :owner";
        values.put(":owner", AttributeValue.fromS(ownerId));
      }
      if (pipeline != null) {
        // a task stored before tasks recorded their pipeline is the default pipeline's
        filter +=
            items.isDefaultPipeline(pipeline)
                ? " AND (attribute_not_exists(#pipeline) OR #pipeline = :pipeline)"
                : " AND #pipeline = :pipeline";
        names.put("#pipeline", "pipeline");
        values.put(":pipeline", AttributeValue.fromS(pipeline));
      }
      q.filterExpression(filter).expressionAttributeNames(names).expressionAttributeValues(values);
      QueryResponse page = dynamo.query(q.build());
      count += page.count();
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return count;
  }

  // ---- steps
  // -------------------------------------------------------------------------------------------

  @Override
  public boolean markRunning(String taskId, String runId, Step step, StepState state) {
    // The cancel fence: once a cancel is stored, no step of the run starts (docs/architecture.md,
    // Retry, redrive, cancel).
    UpdateExpr expr = stepUpdate(taskId, runId, step, state, "currentStep");
    expr.condition(
        "#currentRunId = :runId AND #status <> :cancelled",
        Map.of(
            ":runId",
            AttributeValue.fromS(runId),
            ":cancelled",
            AttributeValue.fromS(TaskStatus.CANCELLED.wire())));
    try {
      dynamo.updateItem(
          b -> b.tableName(table).key(Keys.task(taskId)).applyMutation(expr::applyTo));
      return true;
    } catch (ConditionalCheckFailedException staleOrCancelled) {
      return false;
    }
  }

  @Override
  public boolean markFailed(String taskId, String runId, Step step, StepState state) {
    return updateStep(taskId, runId, step, state, null);
  }

  @Override
  public boolean saveSuccess(
      String taskId, String runId, Step step, StepState state, String outputJson, Usage usage) {
    Instant now = clock.instant();
    Map<String, AttributeValue> checkpoint =
        Attrs.of()
            .putAll(Keys.step(taskId, step))
            .s("type", "checkpoint")
            .s("step", step.name())
            .s("runId", runId)
            .s("status", "succeeded")
            .time("finishedAt", now)
            .put("usage", UsageAttrs.of(usage))
            .epoch(StateTable.TTL_ATTRIBUTE, state.checkpointExpiresAt())
            .putAll(
                outputs.encode(
                    outputJson,
                    "checkpoints/" + taskId + "/" + runId + "/" + step.name() + ".json.gz"))
            .build();
    UpdateExpr expr = stepUpdate(taskId, runId, step, state, "lastSuccessfulStep");
    Update update =
        Update.builder()
            .tableName(table)
            .key(Keys.task(taskId))
            .updateExpression(expr.expression())
            .conditionExpression(expr.condition())
            .expressionAttributeNames(expr.names())
            .expressionAttributeValues(expr.values())
            .build();
    return transact(
        List.of(
            TransactWriteItem.builder().put(p -> p.tableName(table).item(checkpoint)).build(),
            TransactWriteItem.builder().update(update).build()));
  }

  @Override
  public void saveItem(
      String taskId,
      Step step,
      String itemKey,
      String json,
      boolean durable,
      @Nullable ItemPlan plan,
      ItemUsage usage) {
    Instant expires =
        clock.instant().plus(durable ? config.taskRetention() : config.checkpointRetention());
    Map<String, AttributeValue> item =
        Attrs.of()
            .putAll(Keys.item(taskId, step, itemKey))
            .s("type", "item")
            .put("usage", UsageAttrs.of(usage))
            .s(PLAN_RUN, plan == null ? null : plan.runId())
            .putAll(
                plan == null
                    ? Map.of()
                    : Map.of(
                        PLAN_KEYS,
                        AttributeValue.fromL(
                            plan.itemKeys().stream().map(AttributeValue::fromS).toList())))
            .epoch(StateTable.TTL_ATTRIBUTE, expires)
            .putAll(
                outputs.encode(
                    json, "items/" + taskId + "/" + step.name() + "/" + itemKey + ".json.gz"))
            .build();
    dynamo.putItem(b -> b.tableName(table).item(item));
  }

  private boolean updateStep(
      String taskId, String runId, Step step, StepState state, String pointer) {
    UpdateExpr expr = stepUpdate(taskId, runId, step, state, pointer);
    try {
      dynamo.updateItem(
          b -> b.tableName(table).key(Keys.task(taskId)).applyMutation(expr::applyTo));
      return true;
    } catch (ConditionalCheckFailedException staleRun) {
      return false;
    }
  }

  /** The step runtime's write to the task item, fenced on the current run. */
  private UpdateExpr stepUpdate(
      String taskId, String runId, Step step, StepState state, String pointer) {
    Instant now = clock.instant();
    UpdateExpr expr = new UpdateExpr();
    expr.setStep(step.name(), items.stepState(state));
    if (pointer != null) {
      expr.set(pointer, AttributeValue.fromS(step.name()));
    }
    expr.set("updatedAt", AttributeValue.fromS(Times.format(now)));
    expr.set(StateTable.BY_STATUS.sortKey(), AttributeValue.fromS(Keys.activitySort(now, taskId)));
    expr.condition("#currentRunId = :runId", ":runId", AttributeValue.fromS(runId));
    return expr;
  }

  private boolean transact(List<TransactWriteItem> writes) {
    try {
      dynamo.transactWriteItems(b -> b.transactItems(writes));
      return true;
    } catch (TransactionCanceledException e) {
      boolean conditionFailed =
          e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
      if (conditionFailed) {
        return false;
      }
      throw e;
    }
  }

  private boolean expired(Map<String, AttributeValue> item) {
    Instant expiresAt = Attrs.epoch(item, StateTable.TTL_ATTRIBUTE);
    return expiresAt != null && !expiresAt.isAfter(clock.instant());
  }

  private static String encodeCursor(String sortKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursorException(cursor);
    }
  }
}
