package io.stepwise.bench;

import io.micronaut.context.ApplicationContext;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.fakes.ModelServer;
import io.stepwise.health.HealthConfig;
import io.stepwise.health.HealthStore;
import io.stepwise.health.HealthSweep;
import io.stepwise.health.ModelProber;
import io.stepwise.health.ProbeResult;
import io.stepwise.health.SweepReport;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelSpec;
import io.stepwise.testing.LocalDynamo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sweeps 9 models, one hanging and one answering in 1 s (the rest in 20-140 ms), against the local
 * model server and DynamoDB Local. Prints each model's probe alone, then the sweep time and its
 * ratio to the slowest single probe (≈ 1.0 when probes run concurrently; the sum when they do not),
 * and DynamoDB requests and items written per sweep, alone and with two instances sweeping at once.
 * A measurement, not a test.
 *
 * <pre>./mvnw -q -pl functions -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.stepwise.bench.HealthSweepBenchmark -Dexec.args="5"</pre>
 */
public final class HealthSweepBenchmark {

  public static void main(String[] args) throws Exception {
    int sweeps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
    System.setProperty("org.sqlite.tmpdir", target.toString());
    System.setProperty("aws.region", "us-east-1");
    // DynamoDB Local keeps a database per access key: the same one LocalDynamo uses.
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    try {
      benchmark(sweeps);
    } finally {
      System.exit(0); // DynamoDB Local and the model server keep non-daemon threads
    }
  }

  private static void benchmark(int sweeps) throws Exception {
    try (ModelServer server = ModelServer.start(0)) {
      Map<String, Object> p = new HashMap<>();
      p.put("aws.services.dynamodb.endpoint-override", LocalDynamo.endpoint().toString());
      p.put("stepwise.store.table-name", LocalDynamo.newTable());
      p.put("stepwise.models.openai.enabled", false);
      p.put("stepwise.routing.primary", "m1");
      p.put("stepwise.health.min-gap", "0s");
      p.put("stepwise.bench.count-dynamo", true);
      for (int i = 1; i <= 9; i++) {
        String id = "bench-" + i;
        p.put(
            "stepwise.models.m" + i + ".provider", i % 3 == 0 ? "anthropic" : "openai-compatible");
        p.put("stepwise.models.m" + i + ".base-url", server.apiBase(id));
        p.put("stepwise.models.m" + i + ".model", id);
        ModelBehaviour b = ModelBehaviour.healthy();
        server.behave(
            id,
            i == 1 ? b.hanging(120_000) : i == 2 ? b.withDelay(1_000) : b.withDelay(20L * (i - 2)));
      }
      try (ApplicationContext context =
          ApplicationContext.builder().environments("bench").properties(p).start()) {
        run(context, sweeps);
      }
    }
  }

  private static void run(ApplicationContext context, int sweeps) {
    HealthConfig config = context.getBean(HealthConfig.class);
    ModelProber prober = context.getBean(ModelProber.class);
    HealthSweep sweep = context.getBean(HealthSweep.class);
    sweep.sweep(); // warm-up: JIT, connections, the table's first writes
    DynamoWriteCounter.drain();

    System.out.printf(
        "%n9 models, probe timeout %d ms; each probe alone:%n", config.probeTimeout().toMillis());
    long slowest = 0;
    long sum = 0;
    for (ModelSpec m : context.getBean(ModelCatalog.class).all()) {
      if (!m.enabled()) {
        continue;
      }
      long started = System.nanoTime();
      ProbeResult r = prober.probe(m, config.probeTimeout()).join();
      long ms = (System.nanoTime() - started) / 1_000_000;
      slowest = Math.max(slowest, ms);
      sum += ms;
      System.out.printf(
          "  %-4s %-18s %6d ms  %s%n",
          m.name(), m.provider().wire(), ms, r.ok() ? "ok" : r.errorCode());
    }
    System.out.printf(
        "  slowest %d ms, sum %d ms (what probing one after another would take)%n", slowest, sum);

    long total = 0;
    for (int i = 1; i <= sweeps; i++) {
      SweepReport report = sweep.sweep();
      total += report.durationMs();
      System.out.printf(
          "sweep %d: %d ms, ratio to slowest single probe %.3f, %d probed, %d written; DynamoDB %s%n",
          i,
          report.durationMs(),
          (double) report.durationMs() / slowest,
          report.probed(),
          report.written(),
          DynamoWriteCounter.drain());
    }
    System.out.printf(
        "mean sweep %.0f ms, ratio %.3f%n",
        (double) total / sweeps, (double) total / sweeps / slowest);

    HealthSweep other =
        new HealthSweep(
            context.getBean(ModelCatalog.class),
            context.getBean(HealthStore.class),
            prober,
            config,
            context.getBean(Clock.class));
    CompletableFuture<SweepReport> a = CompletableFuture.supplyAsync(sweep::sweep);
    CompletableFuture<SweepReport> b = CompletableFuture.supplyAsync(other::sweep);
    SweepReport ra = a.join();
    SweepReport rb = b.join();
    System.out.printf(
        "two instances at once: %d + %d results written (one per model); DynamoDB %s%n",
        ra.written(), rb.written(), DynamoWriteCounter.drain());
  }
}
