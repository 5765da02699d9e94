package io.stepwise.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.fakes.ModelServer;
import io.stepwise.fakes.PaperSourceServer;
import io.stepwise.kit.models.StepModels;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.model.Task;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.ChatRequest;
import io.stepwise.models.ModelRouter;
import io.stepwise.models.RoutingStrategy;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.pipelines.digest.analysis.AnalyzeConfig;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.HealthItems;
import io.stepwise.testing.LocalDynamo;
import io.stepwise.testing.ModelCallLog;
import io.stepwise.testing.StepDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14's three measurements, against the local model server (real OpenAI and Anthropic
 * protocols), the local arXiv feed and DynamoDB Local. A measurement, not a test: it prints figures
 * and asserts nothing.
 *
 * <ol>
 *   <li>analyze of 20 papers, each call taking 1 s, at concurrency 1, 4 and 8: wall time and its
 *       ratio to ceil(20/C) × 1 s;
 *   <li>failover: 20 papers at concurrency 4, calls of 300 ms; the primary starts answering 503
 *       after 1 s; the time from its first failure to the next paper finished on the fallback;
 *   <li>100 concurrent calls through the router over three models (two healthy, 100 ms; one
 *       answering 503), per strategy: failed calls and how the calls spread.
 * </ol>
 *
 * <pre>
 * java -cp functions/target/test-classes:functions/target/classes:$(cat functions/target/test.classpath) \
 *     io.stepwise.bench.ModelCallsBenchmark</pre>
 */
public final class ModelCallsBenchmark {

  private static final Logger CALL_LOG = (Logger) LoggerFactory.getLogger("stepwise.model-calls");

  public static void main(String[] args) throws Exception {
    Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
    System.setProperty("org.sqlite.tmpdir", target.toString());
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    // One INFO line per model call would drown the figures.
    CALL_LOG.setAdditive(false);
    try (ModelServer models = ModelServer.start(0);
        PaperSourceServer papers = PaperSourceServer.start(0)) {
      analyzeWallTime(models, papers);
      failover(models, papers);
      concurrentCalls(models, papers);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0); // DynamoDB Local keeps non-daemon threads
  }

  private static Map<String, Object> properties(
      ModelServer models, PaperSourceServer papers, String table) {
    Map<String, Object> p = new HashMap<>();
    p.put("aws.services.dynamodb.endpoint-override", LocalDynamo.endpoint().toString());
    p.put("stepwise.store.table-name", table);
    p.put("stepwise.blobs.dir", Path.of("target").toAbsolutePath().toString());
    p.put("stepwise.sources.arxiv-url", papers.arxivUrl());
    // Tasks are only prepared (stored, never started): the steps are invoked here, as the state
    // machine would.
    p.put(
        "stepwise.workflow.state-machine-arns",
        PaperDigest.NAME + "=arn:aws:states:us-east-1:123456789012:stateMachine:bench");
    p.put("stepwise.models.openai.enabled", false);
    model(p, "primary", "openai-compatible", models.apiBase(), "bench-gpt");
    model(p, "backup", "anthropic", models.apiBase(), "bench-claude");
    p.put("stepwise.routing.primary", "primary");
    p.put("stepwise.routing.fallbacks", "backup");
    p.put("stepwise.routing.timeout", "10s");
    return p;
  }

  private static void model(
      Map<String, Object> p, String name, String provider, String base, String id) {
    p.put("stepwise.models." + name + ".provider", provider);
    p.put("stepwise.models." + name + ".base-url", base);
    p.put("stepwise.models." + name + ".model", id);
  }

  /** A stored task whose fetch step has run: 20 of the feed's generated papers. */
  private static Task fetched(ApplicationContext context, StepDriver driver) throws Exception {
    TaskService tasks = context.getBean(TaskService.class);
    JsonNode input =
        context
            .getBean(JsonMapper.class)
            .writeValueToTree(
                new DigestInput(
                    "arxiv",
                    new PaperQuery(List.of(PaperSourceServer.GENERATED_CATEGORY), List.of(), 1),
                    20,
                    "en",
                    new DigestInput.Publish("none"),
                    null));
    Task t = tasks.prepare(PaperDigest.NAME, input, null, null, null);
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS);
    return t;
  }

  private static void analyzeWallTime(ModelServer models, PaperSourceServer papers)
      throws Exception {
    System.out.printf("%n1. analyze, 20 papers, every call 1 s (both models), max-in-flight 8%n");
    for (int c : new int[] {1, 4, 8}) {
      models.reset();
      models.behave("bench-gpt", ModelBehaviour.healthy().withDelay(1000));
      models.behave("bench-claude", ModelBehaviour.healthy().withDelay(1000));
      Map<String, Object> p = properties(models, papers, LocalDynamo.newTable());
      p.put("stepwise.pipelines.paper-digest.steps.analyze.concurrency", c);
      try (ApplicationContext context =
          ApplicationContext.builder().environments("bench").properties(p).start()) {
        StepDriver driver = new StepDriver(context);
        Task warm =
            fetched(
                context, driver); // JIT, connections, the table's first writes: a run not counted
        models.behave("bench-gpt", ModelBehaviour.healthy());
        models.behave("bench-claude", ModelBehaviour.healthy());
        driver.invoke(warm.taskId(), warm.currentRunId(), PaperDigest.ANALYZE);
        models.reset();
        models.behave("bench-gpt", ModelBehaviour.healthy().withDelay(1000));
        models.behave("bench-claude", ModelBehaviour.healthy().withDelay(1000));
        Task t = fetched(context, driver);
        long started = System.nanoTime();
        driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.ANALYZE);
        long ms = (System.nanoTime() - started) / 1_000_000;
        long floor = (long) Math.ceil(20.0 / c) * 1000;
        System.out.printf(
            "  C=%d: %6d ms, floor ceil(20/%d) × 1 s = %5d ms, ratio %.3f, peak %d calls at once, %d calls%n",
            c,
            ms,
            c,
            floor,
            (double) ms / floor,
            models.peakConcurrentChats(),
            models.calls().size());
      }
    }
  }

  private static void failover(ModelServer models, PaperSourceServer papers) throws Exception {
    System.out.printf(
        "%n2. failover: 20 papers at C=4, calls of 300 ms, the primary answering 503 from 1 s on%n");
    models.reset();
    Map<String, Object> p = properties(models, papers, LocalDynamo.newTable());
    p.put("stepwise.pipelines.paper-digest.steps.analyze.concurrency", 4);
    try (ApplicationContext context =
        ApplicationContext.builder().environments("bench").properties(p).start()) {
      StepDriver driver = new StepDriver(context);
      Task warm = fetched(context, driver);
      driver.invoke(warm.taskId(), warm.currentRunId(), PaperDigest.ANALYZE);
      models.reset();
      HealthItems.clear(
          context.getProperty("stepwise.store.table-name", String.class).orElseThrow(),
          "primary",
          "backup");
      models.behave("bench-gpt", ModelBehaviour.healthy().withDelay(300));
      models.behave("bench-claude", ModelBehaviour.healthy().withDelay(300));
      Task t = fetched(context, driver);
      ListAppender<ILoggingEvent> calls = listen();
      Thread flip =
          new Thread(
              () -> {
                sleep(1000);
                models.behave("bench-gpt", ModelBehaviour.failing(503).withDelay(300));
              });
      flip.start();
      long started = System.currentTimeMillis();
      driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.ANALYZE);
      long total = System.currentTimeMillis() - started;
      flip.join();
      CALL_LOG.detachAppender(calls);
      JsonMapper json = context.getBean(JsonMapper.class);
      Long firstFailure = null;
      Long nextOnFallback = null;
      int primaryOk = 0;
      int backupOk = 0;
      int primaryFailed = 0;
      for (ILoggingEvent e : List.copyOf(calls.list)) {
        JsonNode line = json.readValue(ModelCallLog.fields(e), JsonNode.class);
        boolean ok = line.get("outcome").getStringValue().equals("ok");
        String name = line.get("modelName").getStringValue();
        if (name.equals("primary") && !ok) {
          primaryFailed++;
          firstFailure =
              firstFailure == null ? e.getTimeStamp() : Math.min(firstFailure, e.getTimeStamp());
        }
        primaryOk += name.equals("primary") && ok ? 1 : 0;
        backupOk += name.equals("backup") && ok ? 1 : 0;
      }
      for (ILoggingEvent e : List.copyOf(calls.list)) {
        JsonNode line = json.readValue(ModelCallLog.fields(e), JsonNode.class);
        if (firstFailure != null
            && line.get("modelName").getStringValue().equals("backup")
            && line.get("outcome").getStringValue().equals("ok")
            && e.getTimeStamp() >= firstFailure) {
          nextOnFallback =
              nextOnFallback == null
                  ? e.getTimeStamp()
                  : Math.min(nextOnFallback, e.getTimeStamp());
        }
      }
      System.out.printf(
          "  analyze %d ms; primary: %d answered, %d failed (then cooled down); backup: %d answered%n",
          total, primaryOk, primaryFailed, backupOk);
      System.out.printf(
          "  first primary failure → next paper finished on the fallback: %s ms%n",
          firstFailure == null || nextOnFallback == null
              ? "n/a"
              : Long.toString(nextOnFallback - firstFailure));
    }
  }

  private static void concurrentCalls(ModelServer models, PaperSourceServer papers)
      throws Exception {
    System.out.printf(
        "%n3. 100 concurrent calls, three models (m1 OpenAI, m2 Anthropic: 100 ms; m3 OpenAI: HTTP 503), max-in-flight 8 each%n");
    String table = LocalDynamo.newTable();
    Map<String, Object> p = properties(models, papers, table);
    p.put("stepwise.models.primary.enabled", false);
    p.put("stepwise.models.backup.enabled", false);
    model(p, "m1", "openai-compatible", models.apiBase(), "bench-m1");
    model(p, "m2", "anthropic", models.apiBase(), "bench-m2");
    model(p, "m3", "openai-compatible", models.apiBase(), "bench-m3");
    p.put("stepwise.models.m2.weight", 2);
    p.put("stepwise.models.m1.cost-per1k-tokens", 0.002);
    p.put("stepwise.models.m2.cost-per1k-tokens", 0.001);
    p.put("stepwise.routing.primary", "m3");
    p.put("stepwise.routing.fallbacks", "m1,m2");
    try (ApplicationContext context =
        ApplicationContext.builder().environments("bench").properties(p).start()) {
      ModelRouter router = context.getBean(ModelRouter.class);
      CallPolicy base =
          context
              .getBean(StepModels.class)
              .settings(PaperDigest.NAME, PaperDigest.ANALYZE, AnalyzeConfig.MODELS)
              .policy();
      ChatRequest request =
          new ChatRequest(
              "Answer with a post.",
              List.of(new ChatRequest.Message("user", "Title: Bench\nAuthors: A\nAbstract: B")),
              300,
              0.3);
      System.out.printf(
          "  %-22s %6s %8s %-34s %s%n",
          "strategy", "failed", "time", "served by (m1/m2/m3)", "calls that reached m3");
      for (RoutingStrategy strategy : RoutingStrategy.values()) {
        models.reset();
        HealthItems.clear(table, "m1", "m2", "m3");
        models.behave("bench-m1", ModelBehaviour.healthy().withDelay(100));
        models.behave("bench-m2", ModelBehaviour.healthy().withDelay(100));
        models.behave("bench-m3", ModelBehaviour.failing(503));
        CallPolicy policy = base.withStrategy(strategy);
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(100);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          futures.add(
              pool.submit(
                  () -> {
                    try {
                      go.await();
                      ModelRouter.Routed<String> r =
                          router.call(policy, "bench", "analyze", s -> s.chat(request).content());
                      served
                          .computeIfAbsent(r.model().name(), n -> new AtomicInteger())
                          .incrementAndGet();
                    } catch (RuntimeException | InterruptedException e) {
                      failed.incrementAndGet();
                    }
                    return null;
                  }));
        }
        long started = System.nanoTime();
        go.countDown();
        for (Future<?> f : futures) {
          f.get();
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        pool.shutdown();
        Map<String, Integer> spread = new TreeMap<>();
        for (String m : List.of("m1", "m2", "m3")) {
          spread.put(m, served.containsKey(m) ? served.get(m).get() : 0);
        }
        System.out.printf(
            "  %-22s %6d %6d ms %-34s %d%n",
            strategy.wire(),
            failed.get(),
            ms,
            spread.get("m1") + " / " + spread.get("m2") + " / " + spread.get("m3"),
            models.calls("bench-m3").size());
      }
    }
  }

  private static ListAppender<ILoggingEvent> listen() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    CALL_LOG.addAppender(appender);
    return appender;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
