package io.stepwise.bench;

import io.micronaut.context.ApplicationContext;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.LocalServicesBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dashboard watching 20 idle tasks (a batch of 20 whose executions wait in the emulator) for one
 * minute, with app.js's poll pattern: every 2 s the counts, the first page of 10 tasks, the batch
 * and one open task with its checkpoints; every 10 s the metrics; the models' health once a minute.
 * Run twice through the real API Lambda handler against DynamoDB Local: as app.js polled before
 * ETags (no If-None-Match), and as it polls now (the last ETag of each path sent back). Prints, per
 * minute, requests, 304s, DynamoDB requests by operation and response body bytes. The minute is
 * simulated (polls back to back): idle tasks do not change, so only the count matters. A
 * measurement, not a test.
 *
 * <pre>
 * ./mvnw -q -pl sfn-local,fakes,functions test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test \
 *   &amp;&amp; java -cp functions/target/test-classes:functions/target/classes:$(cat functions/target/test.classpath) io.stepwise.bench.PollingBenchmark
 * </pre>
 */
public final class PollingBenchmark {

  private static final int POLL_S = 2;
  private static final int METRICS_S = 10;
  private static final int HEALTH_S = 60;

  public static void main(String[] args) throws Exception {
    Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
    System.setProperty("org.sqlite.tmpdir", target.toString());
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    try {
      benchmark();
    } finally {
      System.exit(0); // DynamoDB Local and the protocol servers keep non-daemon threads
    }
  }

  private static void benchmark() throws Exception {
    LocalServicesBase services = new LocalServicesBase() {};
    Map<String, Object> p = new HashMap<>(services.getProperties());
    p.put("stepwise.bench.count-dynamo", true);
    try (ApplicationContext context =
        ApplicationContext.builder().environments("test", "bench").properties(p).start()) {
      ApiClient api = new ApiClient(context);
      Response batch = api.post("/api/batches", "{\"count\":20}");
      String batchId = batch.text("batchId");
      String open = batch.json().get("taskIds").get(0).getStringValue();
      List<String> everyPoll =
          List.of(
              "/api/tasks/stats",
              "/api/tasks?limit=10",
              "/api/batches/" + batchId,
              "/api/tasks/" + open,
              "/api/tasks/" + open + "/checkpoint");
      minute(api, everyPoll, false); // warm-up: JIT, connections
      DynamoWriteCounter.drain();
      for (boolean conditional : new boolean[] {false, true}) {
        long[] figures = minute(api, everyPoll, conditional);
        System.out.printf(
            "%-32s %4d requests, %4d answered 304, %7d response body bytes; DynamoDB %s%n",
            conditional ? "with If-None-Match (now):" : "without If-None-Match (before):",
            figures[0],
            figures[1],
            figures[2],
            DynamoWriteCounter.drain());
      }
    }
  }

  /** One simulated minute of polling: requests, 304s, body bytes. */
  private static long[] minute(ApiClient api, List<String> everyPoll, boolean conditional) {
    Map<String, String> etags = new LinkedHashMap<>();
    long requests = 0;
    long notModified = 0;
    long bytes = 0;
    for (int second = 0; second < 60; second += POLL_S) {
      List<String> paths = new ArrayList<>(everyPoll);
      if (second % METRICS_S == 0) {
        paths.add("/api/metrics?window=24h");
      }
      if (second % HEALTH_S == 0) {
        paths.add("/api/models/health");
      }
      for (String path : paths) {
        String tag = conditional ? etags.get(path) : null;
        Response r =
            api.send(
                "GET", path, null, tag == null ? Map.of() : Map.of("If-None-Match", tag), null);
        requests++;
        notModified += r.status() == 304 ? 1 : 0;
        bytes += r.body() == null ? 0 : r.bytes().length;
        if (r.header("ETag") != null) {
          etags.put(path, r.header("ETag"));
        }
      }
    }
    return new long[] {requests, notModified, bytes};
  }
}
