package io.stepwise.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.stepwise.blobs.BlobStore;
import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import io.stepwise.local.LocalApi;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import io.stepwise.model.Pipelines;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * What the platform costs per task, model calls excluded: runs tasks of each pipeline through the
 * local runtime and prints, per task, state transitions, Lambda invocations and GB-seconds (each
 * step's measured duration at its function's configured memory), DynamoDB read and write request
 * units (as DynamoDB Local reports them with {@code ReturnConsumedCapacity}), blob (S3) requests
 * and bytes, and from these the cost per 1,000 tasks at the published us-east-1 prices. For the
 * happy path, a retry from the middle step (a rerun from render_images, the third of the digest's
 * five steps) and a task with review (approved through the API). A measurement, not a test.
 *
 * <pre>local/cost-benchmark.sh 10</pre>
 */
public final class PlatformCostBenchmark {

  // us-east-1 list prices (see docs/benchmarks.md for the pages and the date they were read).
  static final double TRANSITION = 0.025 / 1_000; // Step Functions Standard, per state transition
  static final double LAMBDA_REQUEST = 0.20 / 1_000_000; // per invocation
  static final double LAMBDA_GB_SECOND = 0.0000166667; // x86_64, the stack's architecture
  static final double WRITE_UNIT = 0.625 / 1_000_000; // DynamoDB on-demand write request unit
  static final double READ_UNIT = 0.125 / 1_000_000; // DynamoDB on-demand read request unit
  static final double S3_PUT = 0.005 / 1_000;
  static final double S3_GET = 0.0004 / 1_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REVIEW_BODY = "{\"review\":true}";
  private static final String APPROVE = "{\"decision\":\"approve\"}";

  public static void main(String[] args) {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    try {
      measure(tasks);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void measure(int n) throws Exception {
    try (LocalRuntime runtime = LocalRuntime.start(Options.ephemeral(0.01))) {
      Handlers handlers = Handlers.of(runtime.context().getBean(Pipelines.class));
      Map<String, Integer> memory = new HashMap<>();
      for (Handler h : handlers.all()) {
        memory.put(h.functionName(), h.memoryMb());
      }
      try (SfnClient sfn = sfn(runtime.stepFunctions())) {
        // warm-up: JIT, connection pools, the review's code path; not counted
        finished(runtime.api(), start(runtime.api(), "{}"));
        String warm = start(runtime.api(), REVIEW_BODY);
        LocalApi.awaitStatus(runtime.api(), warm, "awaiting_review");
        LocalApi.send(runtime.api(), "POST", "/api/tasks/" + warm + "/review", APPROVE);
        finished(runtime.api(), warm);
        List<Row> rows = new ArrayList<>();
        rows.add(
            run(runtime, sfn, memory, "paper-digest, happy path (5 papers)", n, "{}", null, false));
        rows.add(
            run(
                runtime,
                sfn,
                memory,
                "paper-digest, retry from the middle step (rerun from render_images)",
                n,
                "{}",
                "render_images",
                false));
        rows.add(
            run(
                runtime,
                sfn,
                memory,
                "paper-digest, with review (approved)",
                n,
                REVIEW_BODY,
                null,
                true));
        rows.add(
            run(
                runtime,
                sfn,
                memory,
                "research-report, happy path (4 sections)",
                n,
                "{\"pipeline\":\"research-report\",\"topic\":\"protein folding with diffusion"
                    + " models\"}",
                null,
                false));
        print(rows, n);
      }
    }
  }

  /**
   * One scenario: n tasks one after the other (a rerun: n finished tasks, each rerun once; with
   * {@code approve}, each task's review approved through the API once its execution waits).
   */
  private static Row run(
      LocalRuntime runtime,
      SfnClient sfn,
      Map<String, Integer> memory,
      String name,
      int n,
      String body,
      String rerunFrom,
      boolean approve)
      throws Exception {
    List<String> ids = new ArrayList<>();
    if (rerunFrom != null) {
      for (int i = 0; i < n; i++) {
        ids.add(finished(runtime.api(), start(runtime.api(), body)));
      }
    }
    Counters.reset();
    Instant since = Instant.now();
    long apiNanos = 0;
    int apiCalls = 0;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      JsonNode task =
          rerunFrom == null
              ? LocalApi.send(runtime.api(), "POST", "/api/tasks", body)
              : LocalApi.send(
                  runtime.api(), "POST", "/api/tasks/" + ids.get(i) + "/retry/" + rerunFrom, null);
      apiNanos += System.nanoTime() - t0;
      apiCalls++;
      // Waits on the execution, not by reading the task through the API: a user's polling is not
      // the platform's cost per task.
      JsonNode arn = task.path("runs").get(task.path("runs").size() - 1).path("executionArn");
      if (approve) {
        // The review's TaskSubmitted: its function has returned, so the task awaits review (the
        // POST answers 409 otherwise, and the benchmark stops).
        awaitEvent(sfn, arn, "TaskSubmitted");
        long t1 = System.nanoTime();
        LocalApi.send(
            runtime.api(),
            "POST",
            "/api/tasks/" + task.path("taskId").asText() + "/review",
            APPROVE);
        apiNanos += System.nanoTime() - t1;
        apiCalls++;
      }
      awaitExecution(sfn, arn);
    }
    Thread.sleep(1000); // the last execution's status-change event, delivered after it ends
    Row row = new Row(name);
    row.apiInvocations = apiCalls;
    row.apiGbSeconds = gbSeconds(apiNanos / 1e9, memory.get(Handlers.API));
    for (ExecutionListItem ex : executionsSince(sfn, since)) {
      List<HistoryEvent> events =
          sfn.getExecutionHistory(b -> b.executionArn(ex.executionArn()).maxResults(1000)).events();
      Map<Long, Instant> scheduled = new HashMap<>();
      Map<Long, Instant> submitted = new HashMap<>();
      Map<Long, String> functions = new HashMap<>();
      for (HistoryEvent e : events) {
        String type = e.typeAsString();
        if (type.endsWith("StateEntered")) {
          row.transitions++;
        }
        if (type.equals("TaskScheduled")) {
          scheduled.put(e.id(), e.timestamp());
          functions.put(e.id(), functionName(e.taskScheduledEventDetails().parameters()));
        }
        if (type.equals("TaskSubmitted")) {
          submitted.put(scheduledId(events, e), e.timestamp());
        }
        if (type.equals("TaskSucceeded") || type.equals("TaskFailed")) {
          long id = scheduledId(events, e);
          Instant from = scheduled.get(id);
          String function = functions.get(id);
          if (from != null && function != null) {
            row.stepInvocations++;
            // A callback task (the review) bills its function until it returned (TaskSubmitted),
            // not the wait for the decision.
            Instant to = submitted.getOrDefault(id, e.timestamp());
            double seconds = Duration.between(from, to).toNanos() / 1e9;
            row.stepGbSeconds += gbSeconds(seconds, memoryOf(memory, function));
          }
        }
      }
      // execution-events: one EventBridge delivery per status change (RUNNING, then the end)
      row.eventInvocations += 2;
    }
    row.readUnits = Counters.READ.sum();
    row.writeUnits = Counters.WRITE.sum();
    row.dynamoRequests = Counters.REQUESTS.sum();
    row.scheduledRequests = Counters.SCHEDULED.sum();
    row.blobPuts = Counters.PUTS.sum();
    row.blobGets = Counters.GETS.sum();
    row.blobBytes = Counters.BYTES.sum();
    return row;
  }

  private static void awaitExecution(SfnClient sfn, JsonNode arn) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      String status = sfn.describeExecution(b -> b.executionArn(arn.asText())).statusAsString();
      if (status.equals("SUCCEEDED")) {
        return;
      }
      if (!status.equals("RUNNING")) {
        throw new IllegalStateException(arn.asText() + " ended " + status);
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(arn.asText() + " did not finish in 120 s");
  }

  /** Waits until the execution's history has an event of this type. */
  private static void awaitEvent(SfnClient sfn, JsonNode arn, String type)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      List<HistoryEvent> events =
          sfn.getExecutionHistory(b -> b.executionArn(arn.asText()).maxResults(1000)).events();
      if (events.stream().anyMatch(e -> e.typeAsString().equals(type))) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(arn.asText() + " had no " + type + " in 120 s");
  }

  private static int memoryOf(Map<String, Integer> memory, String function) {
    Integer mb = memory.get(function);
    if (mb == null) {
      throw new IllegalStateException("no configured memory for function " + function);
    }
    return mb;
  }

  private static double gbSeconds(double seconds, int memoryMb) {
    // Lambda bills duration in 1 ms steps
    return Math.ceil(seconds * 1000) / 1000 * memoryMb / 1024.0;
  }

  /** The Task state's Lambda function from its parameters ({@code FunctionName}: an ARN). */
  private static String functionName(String parameters) {
    try {
      String arn = JSON.readTree(parameters).path("FunctionName").asText();
      return arn.substring(arn.lastIndexOf(':') + 1);
    } catch (Exception e) {
      return null;
    }
  }

  /** The TaskScheduled event a TaskSucceeded/TaskFailed ends: the last one before it. */
  private static long scheduledId(List<HistoryEvent> events, HistoryEvent end) {
    long found = -1;
    for (HistoryEvent e : events) {
      if (e.id() >= end.id()) {
        break;
      }
      if (e.typeAsString().equals("TaskScheduled")) {
        found = e.id();
      }
    }
    return found;
  }

  private static List<ExecutionListItem> executionsSince(SfnClient sfn, Instant since) {
    List<ExecutionListItem> all = new ArrayList<>();
    for (String pipeline : List.of("paper-digest", "research-report")) {
      sfn.listExecutionsPaginator(
              b ->
                  b.stateMachineArn(
                      "arn:aws:states:us-east-1:000000000000:stateMachine:" + pipeline))
          .executions()
          .forEach(
              ex -> {
                if (!ex.startDate().isBefore(since)) {
                  all.add(ex);
                }
              });
    }
    return all;
  }

  private static String start(URI api, String body) throws Exception {
    return LocalApi.send(api, "POST", "/api/tasks", body).path("taskId").asText();
  }

  private static String finished(URI api, String id) throws Exception {
    JsonNode task = LocalApi.awaitStatus(api, id, "succeeded");
    if (!task.path("status").asText().equals("succeeded")) {
      throw new IllegalStateException("task " + id + " ended " + task.path("status"));
    }
    return id;
  }

  private static SfnClient sfn(URI endpoint) {
    return SfnClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }

  private static void print(List<Row> rows, int n) {
    System.out.printf(
        "%nPlatform cost per task, model calls excluded (%d tasks per scenario, local runtime,"
            + " us-east-1 list prices)%n%n",
        n);
    System.out.println(
        "| scenario | transitions | Lambda invocations | GB-s | DynamoDB RRU / WRU (requests) |"
            + " S3 PUT / GET (KB) | $ per 1,000 tasks |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      double invocations = (r.stepInvocations + r.apiInvocations + r.eventInvocations) / (double) n;
      double gbs = (r.stepGbSeconds + r.apiGbSeconds) / n;
      double cost =
          r.transitions / (double) n * TRANSITION
              + invocations * LAMBDA_REQUEST
              + gbs * LAMBDA_GB_SECOND
              + r.readUnits / n * READ_UNIT
              + r.writeUnits / n * WRITE_UNIT
              + r.blobPuts / (double) n * S3_PUT
              + r.blobGets / (double) n * S3_GET;
      System.out.printf(
          "| %s | %.1f | %.1f | %.2f | %.1f / %.1f (%.1f) | %.1f / %.1f (%.0f) | %.3f |%n",
          r.name,
          r.transitions / (double) n,
          invocations,
          gbs,
          r.readUnits / n,
          r.writeUnits / n,
          r.dynamoRequests / (double) n,
          r.blobPuts / (double) n,
          r.blobGets / (double) n,
          r.blobBytes / 1024.0 / n,
          cost * 1000);
    }
    System.out.println(
        "\nGB-s: each step's TaskScheduled → TaskSucceeded time at its function's memory (the"
            + " review's: → TaskSubmitted, when its function returned), plus the api's POSTs (the"
            + " start or retry, and the review's approval); execution-events (2 per execution)"
            + " counted as invocations only."
            + "\nDynamoDB: every request of the api's POSTs, the steps, the review function and"
            + " execution-events; nobody polls the task. Not counted: the scheduled functions'"
            + " requests meanwhile (reconciler, alerts: every 1 s here, a fixed cost on AWS), per"
            + " task:");
    for (Row r : rows) {
      System.out.printf("  %s: %.1f%n", r.name, r.scheduledRequests / (double) n);
    }
  }

  private static final class Row {
    final String name;
    long transitions;
    long stepInvocations;
    long apiInvocations;
    long eventInvocations;
    double stepGbSeconds;
    double apiGbSeconds;
    double readUnits;
    double writeUnits;
    long dynamoRequests;
    long scheduledRequests;
    long blobPuts;
    long blobGets;
    long blobBytes;

    Row(String name) {
      this.name = name;
    }
  }

  /** What the runtime's DynamoDB client and blob store did (benchmark only). */
  static final class Counters {
    static final DoubleAdder READ = new DoubleAdder();
    static final DoubleAdder WRITE = new DoubleAdder();
    static final LongAdder REQUESTS = new LongAdder();
    static final LongAdder SCHEDULED = new LongAdder();
    static final LongAdder PUTS = new LongAdder();
    static final LongAdder GETS = new LongAdder();
    static final LongAdder BYTES = new LongAdder();

    static void reset() {
      READ.reset();
      WRITE.reset();
      REQUESTS.reset();
      SCHEDULED.reset();
      PUTS.reset();
      GETS.reset();
      BYTES.reset();
    }
  }

  /**
   * Asks DynamoDB for the consumed capacity of every request and adds it up (this class is on the
   * benchmark's class path only).
   */
  @Singleton
  public static class CapacityCounter
      implements BeanCreatedEventListener<DynamoDbClientBuilder>, ExecutionInterceptor {

    private static final String SCHEDULES_THREAD = "schedules";

    @Override
    public DynamoDbClientBuilder onCreated(BeanCreatedEvent<DynamoDbClientBuilder> event) {
      return DynamoCallCounter.withInterceptor(event.getBean(), this);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
      ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
      SdkRequest r = context.request();
      if (r instanceof GetItemRequest g) {
        return g.toBuilder().returnConsumedCapacity(total).build();
      } else if (r instanceof PutItemRequest p) {
        return p.toBuilder().returnConsumedCapacity(total).build();
      } else if (r instanceof UpdateItemRequest u) {
        return u.toBuilder().returnConsumedCapacity(total).build();
      } else if (r instanceof DeleteItemRequest d) {
        return d.toBuilder().returnConsumedCapacity(total).build();
      } else if (r instanceof QueryRequest q) {
        return q.toBuilder().returnConsumedCapacity(total).build();
      } else if (r instanceof BatchGetItemRequest b) {
        return b.toBuilder().returnConsumedCapacity(total).build();
      } else if (r instanceof BatchWriteItemRequest b) {
        return b.toBuilder().returnConsumedCapacity(total).build();
      } else if (r instanceof TransactWriteItemsRequest t) {
        return t.toBuilder().returnConsumedCapacity(total).build();
      }
      return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      // The scheduled functions (reconciler, alerts, health check) run on the local runtime's
      // "schedules" thread (io.stepwise.local.Schedules), every second at the benchmark's time
      // scale, so their requests grow with a scenario's wall time; on AWS they run every 1 to 5
      // minutes whatever the number of tasks: a fixed cost, not a task's. Counted apart.
      if (Thread.currentThread().getName().equals(SCHEDULES_THREAD)) {
        Counters.SCHEDULED.increment();
        return;
      }
      Counters.REQUESTS.increment();
      Object response = context.response();
      if (response instanceof GetItemResponse g) {
        read(g.consumedCapacity());
      } else if (response instanceof QueryResponse q) {
        read(q.consumedCapacity());
      } else if (response instanceof BatchGetItemResponse b) {
        b.consumedCapacity().forEach(PlatformCostBenchmark.CapacityCounter::read);
      } else if (response instanceof PutItemResponse p) {
        write(p.consumedCapacity());
      } else if (response instanceof UpdateItemResponse u) {
        write(u.consumedCapacity());
      } else if (response instanceof DeleteItemResponse d) {
        write(d.consumedCapacity());
      } else if (response instanceof BatchWriteItemResponse b) {
        b.consumedCapacity().forEach(PlatformCostBenchmark.CapacityCounter::write);
      } else if (response instanceof TransactWriteItemsResponse t) {
        t.consumedCapacity().forEach(PlatformCostBenchmark.CapacityCounter::write);
      }
    }

    private static void read(ConsumedCapacity c) {
      if (c != null && c.capacityUnits() != null) {
        Counters.READ.add(c.capacityUnits());
      }
    }

    private static void write(ConsumedCapacity c) {
      if (c != null && c.capacityUnits() != null) {
        Counters.WRITE.add(c.capacityUnits());
      }
    }
  }

  /** Counts the blob store's requests and bytes: S3's PUTs and GETs on AWS. */
  @Singleton
  public static class BlobCounter implements BeanCreatedEventListener<BlobStore> {

    @Override
    public BlobStore onCreated(BeanCreatedEvent<BlobStore> event) {
      BlobStore inner = event.getBean();
      return new BlobStore() {
        @Override
        public String put(String key, byte[] bytes, String contentType) {
          Counters.PUTS.increment();
          Counters.BYTES.add(bytes.length);
          return inner.put(key, bytes, contentType);
        }

        @Override
        public Optional<byte[]> get(String key) {
          Counters.GETS.increment();
          return inner.get(key);
        }

        @Override
        public Optional<URI> presignedGet(String key, Duration validFor) {
          return inner.presignedGet(key, validFor);
        }
      };
    }
  }
}
