package io.stepwise.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.amazonaws.services.dynamodbv2.local.main.CommandLineInput;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import io.stepwise.fakes.McpServer;
import io.stepwise.fakes.ModelServer;
import io.stepwise.fakes.PaperSourceServer;
import io.stepwise.health.HealthConfig;
import io.stepwise.lifecycle.ExecutionEventsFunction;
import io.stepwise.local.auth.DevIssuer;
import io.stepwise.logging.LambdaLogConfigurator;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.models.ConfiguredApiKeys;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelSpec;
import io.stepwise.sfnlocal.EmulatorMain;
import io.stepwise.sfnlocal.InProcessLambdas;
import io.stepwise.sfnlocal.StepFunctionsEmulator;
import io.stepwise.store.TableSetup;
import io.stepwise.workflow.AslGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Stepwise on one machine: DynamoDB Local, the Step Functions emulator running {@code
 * statemachine.asl.json} against the real handlers in-process, the API on Netty, and local servers
 * for the model providers, paper sources and the MCP publish target. No Docker, no AWS account.
 */
public final class LocalRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRuntime.class);

  /**
   * sqlite4java, under DynamoDB Local, warns "unknown jar version" in a shaded jar (no version in
   * its manifest), then loads its native library all the same: that one warning is left out of the
   * console, its other messages are not (DynamoDB Local sets the logger's level, so a filter). Held
   * here, as java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger SQLITE_LOG =
      java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

  static {
    SQLITE_LOG.setFilter(
        r -> r.getMessage() == null || !r.getMessage().contains("unknown jar version"));
  }

  public static final String TABLE = "stepwise-local";

  private final Options options;
  private final DynamoDBProxyServer dynamo;
  private final URI dynamoEndpoint;
  private final PaperSourceServer papers;
  private final ModelServer models;
  private final McpServer mcp;
  private final StepFunctionsEmulator emulator;
  private final ApplicationContext context;
  private final URI api;
  private final Schedules schedules;

  /**
   * Where cards and large outputs go: under --data-dir (kept), else a temporary directory removed
   * on close.
   */
  private final Path blobs;

  private final boolean temporaryBlobs;

  /**
   * What has started so far, stopped in reverse order when a later part fails: a failed start
   * leaves nothing listening.
   */
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  private LocalRuntime(Options options, Map<String, Object> overrides) throws Exception {
    this.options = options;
    Ports.checkFree(options);
    try {
      System.setProperty(
          "aws.region", System.getProperty("aws.region", StepFunctionsEmulator.REGION));
      System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "local"));
      System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "local"));
      Path dataDir = options.dataDir() == null ? null : Files.createDirectories(options.dataDir());

      int dynamoPort = options.dynamoPort() == 0 ? freePort() : options.dynamoPort();
      String[] dynamoArgs =
          dataDir == null
              ? new String[] {"-inMemory", "-port", Integer.toString(dynamoPort)}
              : new String[] {
                "-sharedDb", "-dbPath", dataDir.toString(), "-port", Integer.toString(dynamoPort)
              };
      // Not createServerFromCommandLineArgs, which prints its whole configuration before our
      // banner.
      CommandLineInput dynamoInput = new CommandLineInput(dynamoArgs);
      if (!dynamoInput.init()) {
        throw new IllegalStateException(
            "DynamoDB Local refused its arguments " + String.join(" ", dynamoArgs));
      }
      dynamo = ServerRunner.createServer(dynamoInput);
      dynamo.start();
      started.push(dynamo::stop);
      dynamoEndpoint = URI.create("http://127.0.0.1:" + dynamoPort);

      papers = started(PaperSourceServer.start(0));
      models = started(ModelServer.start(0));
      mcp = started(McpServer.start(0));

      InProcessLambdas lambdas = new InProcessLambdas();
      AtomicReference<ExecutionEventsFunction> events = new AtomicReference<>();
      emulator =
          new StepFunctionsEmulator(
              options.sfnPort(),
              lambdas,
              options.timeScale(),
              json -> deliver(events.get(), json),
              dataDir == null ? null : dataDir.resolve("executions"));
      started.push(emulator);

      temporaryBlobs = dataDir == null;
      blobs =
          temporaryBlobs
              ? Files.createTempDirectory("stepwise-blobs")
              : Files.createDirectories(dataDir.resolve("blobs"));
      if (temporaryBlobs) {
        started.push(() -> deleteTree(blobs));
      }
      // The HTTP server starts last, once the table, the functions and the state machine are in
      // place.
      context =
          ApplicationContext.builder()
              .environments("local")
              .banner(false)
              .properties(properties(blobs, overrides))
              .singletons(models, papers, mcp)
              .start();
      started.push(context);

      TableSetup.createIfMissing(context.getBean(DynamoDbClient.class), TABLE);
      // Every function of the catalogue but the api (Netty serves its controllers): built once on
      // this context.
      Handlers handlers = Handlers.of(context.getBean(Pipelines.class));
      Map<String, Object> instances = new HashMap<>();
      for (Handler handler : handlers.all()) {
        if (handler.trigger() != Handler.Trigger.HTTP_API) {
          instances.put(handler.functionName(), newHandler(handler, context));
        }
        if (handler.trigger() == Handler.Trigger.STATE_MACHINE) {
          lambdas.register(
              handler.functionName(), (RequestStreamHandler) instances.get(handler.functionName()));
        }
      }
      events.set((ExecutionEventsFunction) instances.get(Handlers.EXECUTION_EVENTS));
      int resumed = 0;
      for (Pipeline pipeline : context.getBean(Pipelines.class).all()) {
        String definition = definition(context.getBean(Pipelines.class), pipeline, handlers);
        context
            .getBean(SfnClient.class)
            .createStateMachine(
                b ->
                    b.name(pipeline.name())
                        .definition(definition)
                        .roleArn(
                            "arn:aws:iam::"
                                + StepFunctionsEmulator.ACCOUNT
                                + ":role/stepwise-local"));
        resumed += emulator.resume(StepFunctionsEmulator.stateMachineArn(pipeline.name()));
      }
      if (resumed > 0) {
        LOG.info("resumed {} executions that were running when the runtime stopped", resumed);
      }
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      if (!server.isRunning()) {
        throw new IllegalStateException(
            "the API server on port " + options.apiPort() + " did not start");
      }
      api = URI.create("http://localhost:" + server.getPort());
      schedules = Schedules.start(context, handlers, instances);
    } catch (Exception | Error e) {
      stopStarted();
      throw e;
    }
  }

  /** Stops what has started, last first; a part that does not stop cleanly is logged. */
  private void stopStarted() {
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly: {}", part, e.toString());
      }
    }
  }

  public static LocalRuntime start(Options options) {
    return start(options, Map.of());
  }

  /**
   * With configuration properties set on top of the local ones (tests: e.g. a shorter health
   * interval).
   */
  public static LocalRuntime start(Options options, Map<String, Object> overrides) {
    try {
      return new LocalRuntime(options, overrides);
    } catch (Ports.InUseException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the local runtime did not start: " + reason(e), e);
    }
  }

  /**
   * What went wrong, in one line: the first line of the deepest cause's message (a bean that could
   * not be made says why only there), else of the exception's own.
   */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    Throwable told = root.getMessage() == null ? e : root;
    String message =
        told.getMessage() == null ? told.getClass().getSimpleName() : told.getMessage();
    return message.strip().lines().findFirst().orElse(message);
  }

  private <T extends AutoCloseable> T started(T part) {
    started.push(part);
    return part;
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("sfn")) {
      EmulatorMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (Options.wantsHelp(args)) {
      System.out.println(Options.usage());
      return;
    }
    Options options;
    try {
      options = Options.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    console(options);
    LocalRuntime runtime;
    try {
      runtime = start(options);
    } catch (RuntimeException e) {
      // Whatever had started is stopped already; one line, no stack trace, and a non-zero exit.
      System.err.println(e.getMessage());
      LOG.debug("the start failed", e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "stepwise-shutdown"));
    System.out.println(runtime.banner());
  }

  /**
   * The console a person reads: no embedded-metric JSON (the API serves the same numbers), and one
   * JSON object per line instead of the readable line when asked ({@code --log-format json}).
   */
  private static void console(Options options) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.getLogger(LambdaLogConfigurator.METRICS_LOGGER).setLevel(Level.OFF);
      if (options.jsonLogs()) {
        LambdaLogConfigurator.jsonConsole(logback);
      }
    }
  }

  /**
   * The context's properties in the one local order ({@link LocalProperties}): the command line's
   * wiring over the environment, system properties, the {@code --config} file and the local
   * defaults; a test's overrides over everything.
   */
  private Map<String, Object> properties(Path blobs, Map<String, Object> overrides) {
    Map<String, Object> commandLine = new HashMap<>();
    commandLine.put("micronaut.server.port", options.apiPort() == 0 ? -1 : options.apiPort());
    commandLine.put("aws.services.dynamodb.endpoint-override", dynamoEndpoint.toString());
    commandLine.put("aws.services.states.endpoint-override", emulator.endpoint().toString());
    commandLine.put("stepwise.store.table-name", TABLE);
    commandLine.put(
        "stepwise.workflow.state-machine-arns",
        Pipelines.installed().names().stream()
            .map(name -> name + "=" + StepFunctionsEmulator.stateMachineArn(name))
            .collect(Collectors.joining(",")));
    commandLine.put("stepwise.blobs.dir", blobs.toString());
    commandLine.put("stepwise.workflow.time-scale", options.timeScale());
    if (options.auth()) {
      // The dev issuer on the API's own port; the dashboard signs in against it as it does against
      // Cognito on AWS.
      commandLine.put(DevIssuer.ENABLED, true);
      commandLine.put("stepwise.dashboard.sign-in.authorize-url", "/oauth2/authorize");
      commandLine.put("stepwise.dashboard.sign-in.token-url", "/oauth2/token");
      commandLine.put("stepwise.dashboard.sign-in.client-id", DevIssuer.CLIENT_ID);
      commandLine.put("stepwise.dashboard.sign-in.scope", "openid");
    }
    commandLine.putAll(options.healthProperties());
    commandLine.putAll(options.reconcilerProperties());
    commandLine.putAll(overrides);

    Map<String, Object> defaults = new HashMap<>();
    if (!options.realSources()) {
      defaults.put("stepwise.sources.arxiv-url", papers.arxivUrl());
      defaults.put("stepwise.sources.hugging-face-url", papers.huggingFaceUrl());
    }
    defaults.put("stepwise.alerts.interval", options.alertsInterval().toMillis() + "ms");
    defaults.put("stepwise.publish.mcp.url", mcp.endpoint());
    defaults.put("stepwise.pipelines.paper-digest.defaults.publish-target", "mcp");
    if (!options.realModels()) {
      // Each local model on its own base path, as real providers are on their own hosts: health
      // probes tell them apart.
      defaults.put("stepwise.models.openai.enabled", false);
      defaults.put("stepwise.models.local-gpt.provider", "openai-compatible");
      defaults.put("stepwise.models.local-gpt.base-url", models.apiBase("gpt-4o-mini-local"));
      defaults.put("stepwise.models.local-gpt.model", "gpt-4o-mini-local");
      defaults.put("stepwise.models.local-claude.provider", "anthropic");
      defaults.put("stepwise.models.local-claude.base-url", models.apiBase("claude-haiku-local"));
      defaults.put("stepwise.models.local-claude.model", "claude-haiku-local");
      // Example prices (the list prices of the models they stand in for), so that a task's usage
      // shows what it would have cost.
      defaults.put("stepwise.models.local-gpt.price.input-per-million", "0.15");
      defaults.put("stepwise.models.local-gpt.price.output-per-million", "0.60");
      defaults.put("stepwise.models.local-claude.price.input-per-million", "0.80");
      defaults.put("stepwise.models.local-claude.price.output-per-million", "4.00");
      defaults.put("stepwise.routing.primary", "local-gpt");
      defaults.put("stepwise.routing.fallbacks", "local-claude");
    }
    Map<String, String> environment = new HashMap<>(System.getenv());
    // The short names the README has long given for pointing the local runtime at real endpoints.
    alias(environment, "STEPWISE_ARXIV_URL", "stepwise.sources.arxiv-url");
    alias(environment, "STEPWISE_HF_URL", "stepwise.sources.hugging-face-url");
    alias(environment, "STEPWISE_MCP_URL", "stepwise.publish.mcp.url");
    Map<String, Object> p =
        LocalProperties.layered(
            defaults,
            LocalProperties.read(options.configFile()),
            LocalProperties.system(),
            environment,
            commandLine);
    String idempotency = "stepwise.publish.mcp.arguments.idempotency-key";
    if (mcp.endpoint().equals(p.get("stepwise.publish.mcp.url")) && !p.containsKey(idempotency)) {
      // The local publish target de-duplicates by key, so a call that went unanswered is simply
      // sent again.
      p.put(idempotency, McpServer.IDEMPOTENCY_ARGUMENT);
    }
    return p;
  }

  private static void alias(Map<String, String> environment, String shortName, String property) {
    String value = environment.get(shortName);
    if (value != null && !value.isBlank()) {
      environment.putIfAbsent(LocalProperties.variableFor(property), value);
    }
  }

  /** A handler from the catalogue, built on the runtime's context (its constructor taking one). */
  private static Object newHandler(Handler handler, ApplicationContext context) {
    try {
      return handler.handlerClass().getConstructor(ApplicationContext.class).newInstance(context);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot build " + handler.className() + " on the local context", e);
    }
  }

  /**
   * A pipeline's ASL as its definition generates it with the configured retry policies (so a change
   * of {@code stepwise.pipelines.<name>.retry.*} shows at the next start), the local function ARNs
   * substituted.
   */
  static String definition(Pipelines pipelines, Pipeline pipeline, Handlers handlers) {
    String asl =
        AslGenerator.generate(pipeline, pipelines.definition(pipeline.name()).getClass().getName());
    for (Handler h : handlers.invokedBy(pipeline.name())) {
      asl =
          asl.replace(
              "${" + h.placeholder().orElseThrow() + "}",
              "arn:aws:lambda:"
                  + StepFunctionsEmulator.REGION
                  + ":"
                  + StepFunctionsEmulator.ACCOUNT
                  + ":function:"
                  + h.functionName());
    }
    if (asl.contains("${")) {
      throw new IllegalStateException(
          "the workflow of "
              + pipeline.name()
              + " has a placeholder the local runtime does not know");
    }
    return asl;
  }

  /**
   * The EventBridge target: a failure propagates, so that the emulator keeps the event (persisted
   * with its execution) and delivers it again later, as EventBridge retries a Lambda target; the
   * handler is idempotent and order-tolerant, so a second delivery changes nothing.
   */
  private static void deliver(ExecutionEventsFunction function, String json) {
    if (function == null) {
      // Cannot happen once started: the emulator delivers nothing restored before resume, which
      // runs after this is set.
      throw new IllegalStateException("execution-events is not ready yet");
    }
    try {
      function.handleRequest(
          new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
          new ByteArrayOutputStream(),
          null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      LOG.warn("execution-events failed on {} (delivered again later): {}", json, e.toString());
      throw e;
    }
  }

  public URI api() {
    return api;
  }

  public URI stepFunctions() {
    return emulator.endpoint();
  }

  public URI dynamo() {
    return dynamoEndpoint;
  }

  public ModelServer models() {
    return models;
  }

  public McpServer mcp() {
    return mcp;
  }

  public ApplicationContext context() {
    return context;
  }

  /** The start banner: where everything runs, as printed on start. */
  public String banner() {
    return String.join(
        "\n",
        "",
        "  Stepwise is running locally.",
        "    API              " + api + "        try: curl -X POST " + api + "/api/tasks -d '{}'",
        "    Step Functions   "
            + emulator.endpoint()
            + "   AWS JSON protocol (state machines "
            + String.join(", ", Pipelines.installed().names())
            + ")",
        "    DynamoDB Local   " + dynamoEndpoint + "   table " + TABLE,
        "    Models           "
            + (options.realModels()
                ? "configured providers" + missingKeys()
                : models.apiBase() + " (local OpenAI + Anthropic protocol servers)"),
        "    Paper sources    "
            + (options.realSources()
                ? "arXiv and Hugging Face (the real endpoints)"
                : papers.baseUrl()),
        "    MCP publisher    " + mcp.endpoint(),
        "    Auth             "
            + (options.auth()
                ? "JWT required on /api (dev issuer "
                    + api
                    + "): curl -X POST "
                    + api
                    + "/api/dev/tokens -H 'Content-Type: application/json' -d '{\"sub\":\"alice\",\"groups\":[]}'"
                : "none: the API is open (--auth requires a JWT)"),
        "    Model health     checked every "
            + context.getBean(HealthConfig.class).interval().toSeconds()
            + " s: curl "
            + api
            + "/api/models/health",
        "    Images, blobs    "
            + blobs
            + (temporaryBlobs ? "   (removed on exit; --data-dir keeps them)" : "   (kept)"),
        "    time scale "
            + options.timeScale()
            + ", "
            + (options.dataDir() == null
                ? "data in memory"
                : "table, executions and images in " + options.dataDir()),
        "  Ctrl-C stops everything.",
        "");
  }

  /**
   * With real providers: each enabled model whose key variable is unset, named, so nobody waits for
   * a failure.
   */
  private String missingKeys() {
    StringBuilder lines = new StringBuilder();
    for (ModelSpec model : context.getBean(ModelCatalog.class).all()) {
      if (model.enabled() && ConfiguredApiKeys.keyMissing(model)) {
        lines.append("\n      ! ").append(ConfiguredApiKeys.missing(model));
      }
    }
    return lines.toString();
  }

  @Override
  public void close() {
    if (options.configFile() != null) {
      System.clearProperty("micronaut.config.files");
    }
    schedules.close();
    stopStarted(); // the API context, the emulator, the local servers, DynamoDB Local, temp blobs
  }

  /** The blob store's directory (cards are under {@code images/}). */
  public Path blobsDir() {
    return blobs;
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("the temporary blob directory {} was not removed: {}", root, e.toString());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
