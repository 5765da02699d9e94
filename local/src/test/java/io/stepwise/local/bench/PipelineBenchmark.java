package io.stepwise.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Runs N tasks (default 200) through the local runtime at C concurrent (default 16) with
 * zero-latency local protocol servers, and prints throughput, task duration percentiles, state
 * transitions per task and DynamoDB requests per step. A measurement, not a test: nothing here
 * passes or fails on time.
 *
 * <pre>local/benchmark.sh 200 16 mcp</pre>
 */
public final class PipelineBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static String target = "mcp";

  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    target = args.length > 2 ? args[2] : "mcp";
    try {
      measure(tasks, concurrency);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1); // the runtime's non-daemon threads would keep a failed run alive
    }
    System.exit(0);
  }

  private static void measure(int tasks, int concurrency) throws Exception {
    try (LocalRuntime runtime = LocalRuntime.start(Options.ephemeral(0.001))) {
      HttpClient http =
          HttpClient.newBuilder().executor(Executors.newFixedThreadPool(concurrency)).build();
      run(runtime, http, 10, concurrency); // warm-up: JIT, connection pools
      DynamoCallCounter.COUNTS.clear();
      long started = System.nanoTime();
      List<Long> durations = run(runtime, http, tasks, concurrency);
      double seconds = (System.nanoTime() - started) / 1e9;
      Collections.sort(durations);
      System.out.printf(
          "%ntasks: %d at %d concurrent, publish target %s, all succeeded%n",
          tasks, concurrency, target);
      System.out.printf("throughput: %.1f tasks/s (%.1f s in all)%n", tasks / seconds, seconds);
      System.out.printf(
          "task duration: p50 %d ms, p99 %d ms%n",
          durations.get(durations.size() / 2),
          durations.get((int) Math.ceil(durations.size() * 0.99) - 1));
      System.out.printf("state transitions per task: %.1f%n", transitions(runtime));
      System.out.println(
          "DynamoDB requests per step (steps = 5 per task), by component and operation:");
      Map<String, Long> counts = new TreeMap<>();
      DynamoCallCounter.COUNTS.forEach((k, v) -> counts.put(k, v.sum()));
      counts.forEach(
          (k, v) ->
              System.out.printf("  %-40s %6.2f per step  (%d in all)%n", k, v / (tasks * 5.0), v));
    }
  }

  private static List<Long> run(LocalRuntime runtime, HttpClient http, int tasks, int concurrency)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<Long>> results = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      results.add(pool.submit(() -> one(runtime.api(), http)));
    }
    List<Long> durations = new ArrayList<>();
    for (Future<Long> f : results) {
      durations.add(f.get());
    }
    pool.shutdown();
    return durations;
  }

  /** One task from POST until the API shows it succeeded; milliseconds. */
  private static long one(URI api, HttpClient http) throws Exception {
    long start = System.nanoTime();
    String body = "{\"maxPapers\":1,\"publish\":{\"target\":\"" + target + "\"}}";
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/api/tasks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String id = JSON.readTree(created.body()).path("taskId").asText();
    while (true) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/api/tasks/" + id)).build(),
              HttpResponse.BodyHandlers.ofString());
      String status = JSON.readTree(r.body()).path("status").asText();
      if (status.equals("succeeded")) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      if (status.equals("failed") || status.equals("cancelled")) {
        throw new IllegalStateException("task " + id + " ended " + status + ": " + r.body());
      }
      Thread.sleep(10);
    }
  }

  private static double transitions(LocalRuntime runtime) {
    try (SfnClient sfn =
        SfnClient.builder()
            .endpointOverride(runtime.stepFunctions())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build()) {
      var executions =
          sfn.listExecutions(
                  b ->
                      b.stateMachineArn(
                              "arn:aws:states:us-east-1:000000000000:stateMachine:paper-digest")
                          .maxResults(50))
              .executions();
      long entered = 0;
      for (var ex : executions) {
        entered +=
            sfn
                .getExecutionHistory(b -> b.executionArn(ex.executionArn()).maxResults(1000))
                .events()
                .stream()
                .filter(e -> e.typeAsString().endsWith("StateEntered"))
                .count();
      }
      return executions.isEmpty() ? 0 : (double) entered / executions.size();
    }
  }
}
