package io.stepwise.infra;

import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import io.stepwise.infra.FunctionAccess.Access;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.store.StateTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * Stepwise on AWS: the state table, the blob bucket, one function per entry of the handler
 * catalogue ({@link Handlers}), one state machine per pipeline from its ASL, the EventBridge
 * triggers, the HTTP API, alarms and outputs. What each function may reach follows from its
 * catalogue entry ({@link FunctionAccess}); every permission is granted where the resource is
 * wired, to the functions that need it.
 */
public final class StepwiseStack extends Stack {

  /**
   * Days images and large step outputs are kept: as long as the tasks that point at them (30 d
   * default).
   */
  static final int BLOB_RETENTION_DAYS = 30;

  /**
   * Days the blob bucket's access logs are kept: who fetched an image stays answerable after the
   * image is gone.
   */
  static final int ACCESS_LOG_RETENTION_DAYS = 90;

  /**
   * aws-cdk-lib's flag for server access logs by bucket policy (the default of new CDK projects),
   * set on this stack so that it holds however the app is built (cdk.json, the tests, the
   * LocalStack deployment).
   */
  static final String ACCESS_LOGS_BY_BUCKET_POLICY =
      "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy";

  /**
   * C1 only: a short-lived handler gains more from fast JIT warm-up than from C2's peak speed. The
   * AWS SDK's URLConnection client instead of the Apache one it would pick first: fewer classes to
   * load at init (both are in the jar; io.stepwise.bench.ColdStartBenchmark runs with the same
   * flags).
   */
  static final String JAVA_TOOL_OPTIONS =
      "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
          + " -Dsoftware.amazon.awssdk.http.service.impl=software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService";

  /** The api function's variable naming each pipeline's state machine: {@code pipeline=arn,...}. */
  static final String STATE_MACHINE_ARNS_VARIABLE = "STEPWISE_STATE_MACHINE_ARNS";

  private final StackConfig config;
  private final Catalogue catalogue;
  private final Table table;
  private final Bucket bucket;
  private final Map<String, Secret> modelSecrets;

  /** By function name, in catalogue order. */
  private final Map<String, StepwiseFunction> functions = new LinkedHashMap<>();

  private final List<Workflow> workflows = new ArrayList<>();

  /**
   * The pipelines and functions of the functions jar on the class path, each step's retry policy
   * from the CDK context ({@code -c stepwise.pipelines.<name>.retry.attempts=5}, or {@code
   * .steps.<step>.retry.*}): the generated ASL carries it, and every function gets the same keys as
   * environment variables, so the step runtime's rate-limit budget and the API's retry times agree
   * with the state machine.
   */
  public StepwiseStack(Construct scope, String id, StackProps props, StackConfig config) {
    this(
        scope,
        id,
        props,
        withPipelineSettings(scope, config),
        Pipelines.installed(contextOf(scope)));
  }

  private static Function<String, Optional<String>> contextOf(Construct scope) {
    return key -> Optional.ofNullable(scope.getNode().tryGetContext(key)).map(String::valueOf);
  }

  /**
   * The context's pipeline settings that {@link Pipelines} read, added to every function's
   * environment.
   */
  private static StackConfig withPipelineSettings(Construct scope, StackConfig config) {
    Map<String, String> read = new TreeMap<>();
    Function<String, Optional<String>> context = contextOf(scope);
    Pipelines.installed(
        key -> {
          Optional<String> value = context.apply(key);
          value.ifPresent(
              v -> read.put(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), v));
          return value;
        });
    if (read.isEmpty()) {
      return config;
    }
    Map<String, String> environment = new TreeMap<>(config.functionEnvironment());
    environment.putAll(read);
    return config.withFunctionEnvironment(environment);
  }

  /** These pipelines and the functions the catalogue derives from them. */
  public StepwiseStack(
      Construct scope, String id, StackProps props, StackConfig config, Pipelines pipelines) {
    super(scope, id, props);
    if (!config.httpApi() && !(config.auth() instanceof Auth.None)) {
      // The authorizer lives on the HTTP API: without one, nothing would check a token.
      throw new IllegalArgumentException(
          "httpApi=false deploys no HTTP API, so no authorizer: pass -c auth=none "
              + "with it (LocalStack's free edition has neither API Gateway v2 nor Cognito)");
    }
    getNode().setContext(ACCESS_LOGS_BY_BUCKET_POLICY, true);
    this.config = config;
    this.catalogue = Catalogue.of(pipelines);
    this.table = createTable();
    this.bucket = createBucket();
    this.modelSecrets = createModelSecrets();
    createFunctions();
    grantTableAccess();
    grantBlobAccess();
    grantSecrets();
    for (Pipeline pipeline : catalogue.pipelines()) {
      workflows.add(
          new Workflow(
              this,
              pipeline,
              catalogue.definition(pipeline.name()),
              catalogue.handlers().invokedBy(pipeline.name()),
              functions));
    }
    grantWorkflowControl();
    grantExecutionReads();
    new Triggers(this, catalogue.functions(), stateMachines(), functions);
    Api api = config.httpApi() ? new Api(this, config, only(Handler.Trigger.HTTP_API)) : null;
    if (api != null) {
      tellTheDashboardHowToSignIn(api);
    }
    grantModelEvents();
    Alarms alarms =
        new Alarms(this, workflows, function(Handlers.HEALTH_CHECK), api, config.alarmEmails());
    ReviewNotifications reviews =
        new ReviewNotifications(
            this, function(Handlers.REVIEW), api == null ? null : api.dashboardUrl());
    createOutputs(api, alarms);
    CfnOutput.Builder.create(this, "ReviewTopicArn").value(reviews.topic().getTopicArn()).build();
  }

  /** The catalogue this stack deploys. */
  public Catalogue catalogue() {
    return catalogue;
  }

  private Table createTable() {
    Table t =
        Table.Builder.create(this, "StateTable")
            .partitionKey(string(StateTable.PARTITION_KEY))
            .sortKey(string(StateTable.SORT_KEY))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .timeToLiveAttribute(StateTable.TTL_ATTRIBUTE)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .encryption(TableEncryption.AWS_MANAGED)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    for (StateTable.Index index : StateTable.indexes()) {
      t.addGlobalSecondaryIndex(
          GlobalSecondaryIndexProps.builder()
              .indexName(index.name())
              .partitionKey(string(index.partitionKey()))
              .sortKey(string(index.sortKey()))
              .projectionType(ProjectionType.ALL)
              .build());
    }
    return t;
  }

  private Bucket createBucket() {
    return Bucket.Builder.create(this, "Blobs")
        .encryption(BucketEncryption.S3_MANAGED)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .lifecycleRules(
            List.of(LifecycleRule.builder().expiration(Duration.days(BLOB_RETENTION_DAYS)).build()))
        .removalPolicy(RemovalPolicy.RETAIN)
        // Who read or wrote which image and checkpoint (presigned downloads included).
        .serverAccessLogsBucket(createAccessLogBucket())
        .serverAccessLogsPrefix("blobs/")
        .build();
  }

  /**
   * Where S3 delivers the blob bucket's server access logs, through a bucket policy for the logging
   * service ({@link #ACCESS_LOGS_BY_BUCKET_POLICY}), not the deprecated log-delivery ACL. Kept
   * longer than the blobs, retained like them.
   */
  private Bucket createAccessLogBucket() {
    return Bucket.Builder.create(this, "BlobAccessLogs")
        .encryption(BucketEncryption.S3_MANAGED)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .enforceSsl(true)
        .lifecycleRules(
            List.of(
                LifecycleRule.builder()
                    .expiration(Duration.days(ACCESS_LOG_RETENTION_DAYS))
                    .build()))
        .removalPolicy(RemovalPolicy.RETAIN)
        .build();
  }

  /**
   * One secret per configured model; its value (the API key) is set by the operator, never by this
   * code.
   */
  private Map<String, Secret> createModelSecrets() {
    Map<String, Secret> secrets = new LinkedHashMap<>();
    for (String model : config.models()) {
      Secret secret =
          Secret.Builder.create(this, "ModelKey-" + model)
              .description("API key of model " + model + " (set with put-secret-value)")
              .build();
      Nag.acknowledge(
          secret,
          "SMG4",
          "Holds the API key a model provider (OpenAI, Anthropic or a compatible one) issued to the operator, "
              + "who puts it with put-secret-value. Rotation means issuing a new key in the provider's console; "
              + "there is no provider API a rotation function could call, so the operator rotates it there.");
      secrets.put(model, secret);
    }
    return secrets;
  }

  private void createFunctions() {
    if (!Files.isRegularFile(config.functionsJar())) {
      throw new IllegalStateException(
          config.functionsJar().toAbsolutePath()
              + " is missing: run ./mvnw package (functions) first");
    }
    Map<Path, Code> packages = new HashMap<>();
    for (Handler handler : catalogue.functions()) {
      Code code =
          packages.computeIfAbsent(
              config.packageOf(handler), jar -> Code.fromAsset(jar.toString()));
      functions.put(
          handler.functionName(),
          new StepwiseFunction(
              this, handler, code, catalogue.timeoutSeconds(handler), environment(handler)));
    }
  }

  private StepwiseFunction function(String functionName) {
    StepwiseFunction f = functions.get(functionName);
    if (f == null) {
      throw new IllegalStateException("the catalogue has no function " + functionName);
    }
    return f;
  }

  /** The one function of this trigger. */
  private StepwiseFunction only(Handler.Trigger trigger) {
    List<Handler> matches =
        catalogue.functions().stream().filter(h -> h.trigger() == trigger).toList();
    if (matches.size() != 1) {
      throw new IllegalStateException(
          "the catalogue has " + matches.size() + " " + trigger + " functions, not one");
    }
    return function(matches.get(0).functionName());
  }

  /** The functions allowed this access, in catalogue order. */
  private List<StepwiseFunction> with(Access access) {
    return catalogue.functions().stream()
        .filter(h -> FunctionAccess.of(h).contains(access))
        .map(h -> function(h.functionName()))
        .toList();
  }

  private List<StateMachine> stateMachines() {
    return workflows.stream().map(Workflow::stateMachine).toList();
  }

  private Map<String, String> environment(Handler handler) {
    Map<String, String> env = new HashMap<>();
    env.put("STEPWISE_TABLE", table.getTableName());
    env.put("STEPWISE_BLOBS_BUCKET", bucket.getBucketName());
    env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
    if (FunctionAccess.of(handler).contains(Access.MODEL_KEYS)) {
      // stepwise.models.<name>.api-key-secret: the secret's ARN, never its value.
      modelSecrets.forEach(
          (model, secret) -> env.put(secretVariable(model), secret.getSecretArn()));
    }
    env.putAll(config.functionEnvironment());
    return env;
  }

  static String secretVariable(String model) {
    return "STEPWISE_MODELS_" + model.toUpperCase().replace('-', '_') + "_API_KEY_SECRET";
  }

  private void grantTableAccess() {
    // SnapStart priming describes the table once before the snapshot (functions: crac/), for every
    // function.
    for (StepwiseFunction function : functions.values()) {
      function.allow(statement(List.of("dynamodb:DescribeTable"), table.getTableArn()));
    }
    for (Handler handler : catalogue.functions()) {
      Set<Access> access = FunctionAccess.of(handler);
      StepwiseFunction function = function(handler.functionName());
      // One statement of every partition the function reads and writes: tasks, batches, model
      // health.
      List<String> partitions = new ArrayList<>();
      if (access.contains(Access.TASKS)) {
        partitions.add(TableAccess.TASKS);
      }
      if (access.contains(Access.BATCHES)) {
        partitions.add(TableAccess.BATCHES);
      }
      if (access.contains(Access.MODEL_HEALTH)) {
        partitions.add(TableAccess.MODELS);
      }
      if (access.contains(Access.ALERTS)) {
        partitions.add(TableAccess.ALERTS);
      }
      if (!partitions.isEmpty()) {
        function.allow(TableAccess.readWrite(table, partitions.toArray(String[]::new)));
      }
      if (access.contains(Access.BATCHES)) {
        // A run slot is free when its holder task has ended: the holders are read in one request.
        function.allow(
            TableAccess.items(table, List.of("dynamodb:BatchGetItem"), TableAccess.TASKS));
      }
      if (access.contains(Access.MODEL_ROUTING) && !access.contains(Access.MODEL_HEALTH)) {
        // The model router reads health and puts a model that failed during a task in cooldown.
        function.allow(
            TableAccess.items(
                table,
                List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"),
                TableAccess.MODELS));
      }
      if (access.contains(Access.MODEL_HEALTH)
          || access.contains(Access.MODEL_ROUTING)
          || access.contains(Access.MODEL_HEALTH_READ)) {
        // Every model's latest state is read in one BatchGetItem (HealthStore.latest).
        function.allow(
            TableAccess.items(table, List.of("dynamodb:BatchGetItem"), TableAccess.MODELS));
      }
      if (access.contains(Access.ALERTS_READ)) {
        function.allow(TableAccess.items(table, List.of("dynamodb:Query"), TableAccess.ALERTS));
      }
      if (access.contains(Access.ALERT_HISTORY_WRITE)) {
        // A status change is one conditional PutItem of a new history item.
        function.allow(TableAccess.items(table, List.of("dynamodb:PutItem"), TableAccess.ALERTS));
      }
      if (access.contains(Access.MODEL_USAGE_WRITE)) {
        // Each call is atomic ADDs to its usage buckets: no read needed.
        function.allow(TableAccess.items(table, List.of("dynamodb:UpdateItem"), TableAccess.USAGE));
      }
      if (access.contains(Access.MODEL_USAGE_READ)) {
        function.allow(TableAccess.items(table, List.of("dynamodb:Query"), TableAccess.USAGE));
      }
      if (access.contains(Access.TASK_INDEXES)) {
        function.allow(
            TableAccess.queryIndexes(
                table, StateTable.indexes().stream().map(StateTable.Index::name).toList()));
      }
    }
  }

  /**
   * Why blob access names objects by pattern: object keys carry the task and run they belong to
   * ({@code checkpoints/<taskId>/<runId>/...}, {@code images/<taskId>/<runId>/...}), so no key
   * exists before its task; the grant is still only Get/Put of objects, of this bucket, with no
   * List or Delete.
   */
  static final String BLOB_OBJECTS_REASON =
      "Objects are keyed by the task and run that write them (checkpoints/<taskId>/<runId>/..., "
          + "images/<taskId>/<runId>/...), created at run time, so only a pattern can name them; the statement "
          + "allows GetObject/PutObject on this one bucket's objects, no List, Delete or bucket action.";

  private void grantBlobAccess() {
    String objects = bucket.arnForObjects("*");
    for (StepwiseFunction function : with(Access.BLOBS_READ_WRITE)) {
      function.allowPattern(List.of("s3:GetObject", "s3:PutObject"), objects, BLOB_OBJECTS_REASON);
    }
    // The checkpoint view reads outputs that were moved to the bucket, and GET
    // /api/tasks/{id}/images/{name}
    // answers with a presigned GET link signed by this role: the link works only while the role may
    // GetObject.
    for (StepwiseFunction function : with(Access.BLOBS_READ)) {
      function.allowPattern(List.of("s3:GetObject"), objects, BLOB_OBJECTS_REASON);
    }
  }

  private void grantSecrets() {
    for (Secret secret : modelSecrets.values()) {
      for (StepwiseFunction function : with(Access.MODEL_KEYS)) {
        secret.grantRead(function.role());
      }
    }
  }

  /**
   * A function that controls executions (the api) learns every pipeline's state machine from one
   * variable, and may start, stop, inspect, redrive and list executions of those state machines and
   * answer their task tokens (review decisions), and no other.
   */
  private void grantWorkflowControl() {
    for (StepwiseFunction function : with(Access.EXECUTIONS)) {
      function.function().addEnvironment(STATE_MACHINE_ARNS_VARIABLE, stateMachineArns());
      for (StateMachine stateMachine : stateMachines()) {
        // SendTaskSuccess/Failure answer a review's task token (a decision, or a cancel); their
        // resource is the state machine, as CDK's grantTaskResponse has it.
        function.allow(
            statement(
                List.of(
                    "states:StartExecution",
                    "states:ListExecutions",
                    "states:SendTaskSuccess",
                    "states:SendTaskFailure"),
                stateMachine.getStateMachineArn()));
        function.allowPattern(
            List.of("states:StopExecution", "states:DescribeExecution", "states:RedriveExecution"),
            executionsOf(stateMachine),
            "Executions are started by this function at run time, named <taskId>--r<n>, so only a pattern can "
                + "name them; the pattern is limited to executions of this one state machine and the actions to "
                + "stop, describe and redrive.");
      }
    }
  }

  /**
   * The reconciler describes executions and may start one (a stranded pending task's, named after
   * its run so it never starts twice); execution-events may start one (a batch's next pending
   * task); neither can stop, redrive or list them.
   */
  private void grantExecutionReads() {
    for (StepwiseFunction function : with(Access.START_EXECUTIONS)) {
      function.function().addEnvironment(STATE_MACHINE_ARNS_VARIABLE, stateMachineArns());
      for (StateMachine stateMachine : stateMachines()) {
        function.allow(
            statement(List.of("states:StartExecution"), stateMachine.getStateMachineArn()));
      }
    }
    for (StepwiseFunction function : with(Access.DESCRIBE_EXECUTIONS)) {
      for (StateMachine stateMachine : stateMachines()) {
        function.allowPattern(
            List.of("states:DescribeExecution"),
            executionsOf(stateMachine),
            "Executions are named <taskId>--r<n> at run time, so only a pattern can name them; the pattern is "
                + "limited to executions of this one state machine and the action to describe.");
      }
    }
  }

  /** Every execution of the state machine: {@code arn:...:execution:<state machine name>:*}. */
  private String executionsOf(StateMachine machine) {
    return formatArn(
        ArnComponents.builder()
            .service("states")
            .resource("execution")
            .resourceName(machine.getStateMachineName() + ":*")
            .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
            .build());
  }

  /** The default event bus's name, which the health check sends model status changes to. */
  static final String EVENT_BUS_VARIABLE = "STEPWISE_ALERTS_EVENT_BUS";

  /**
   * The health check puts its "Model health changed" events on the account's default bus ({@code
   * stepwise.alerts.event-bus}); {@link Alarms} routes them to the alert topic.
   */
  private void grantModelEvents() {
    String defaultBus =
        formatArn(
            ArnComponents.builder()
                .service("events")
                .resource("event-bus")
                .resourceName("default")
                .build());
    for (StepwiseFunction function : with(Access.MODEL_EVENTS)) {
      function.function().addEnvironment(EVENT_BUS_VARIABLE, "default");
      function.allow(statement(List.of("events:PutEvents"), defaultBus));
    }
  }

  /**
   * {@code pipeline=arn} pairs separated by commas (the functions' {@code
   * stepwise.workflow.state-machine-arns}).
   */
  private String stateMachineArns() {
    return Fn.join(
        ",",
        workflows.stream()
            .map(w -> w.pipeline().name() + "=" + w.stateMachine().getStateMachineArn())
            .toList());
  }

  /**
   * The api function serves the dashboard and tells it where to sign in ({@link
   * Auth.DashboardSignIn}); with the stack's own user pool, also which group is the operators'. It
   * needs no Cognito permission: the page talks to the hosted pages, API Gateway checks the tokens.
   */
  private void tellTheDashboardHowToSignIn(Api api) {
    StepwiseFunction function = only(Handler.Trigger.HTTP_API);
    api.dashboardSignIn()
        .ifPresent(signIn -> signIn.environment().forEach(function.function()::addEnvironment));
    if (api.signIn().isPresent()) {
      function.function().addEnvironment(OPERATOR_GROUP_VARIABLE, SignIn.OPERATOR_GROUP);
    }
  }

  /** The api function's operator group ({@code stepwise.auth.operator-group}). */
  static final String OPERATOR_GROUP_VARIABLE = "STEPWISE_OPERATOR_GROUP";

  private void createOutputs(Api api, Alarms alarms) {
    if (api != null) {
      CfnOutput.Builder.create(this, "ApiUrl").value(api.url()).build();
      CfnOutput.Builder.create(this, "DashboardUrl").value(api.dashboardUrl()).build();
      api.signIn()
          .ifPresent(
              signIn -> {
                CfnOutput.Builder.create(this, "UserPoolId")
                    .value(signIn.userPool().getUserPoolId())
                    .build();
                CfnOutput.Builder.create(this, "UserPoolClientId")
                    .value(signIn.client().getUserPoolClientId())
                    .build();
                CfnOutput.Builder.create(this, "SignInDomain").value(signIn.domainUrl()).build();
              });
    }
    // The first pipeline's state machine under the output name it always had; every pipeline's in
    // StateMachineArns.
    workflows.stream()
        .filter(w -> Workflow.FIRST_PIPELINE.equals(w.pipeline().name()))
        .forEach(
            w ->
                CfnOutput.Builder.create(this, "StateMachineArn")
                    .value(w.stateMachine().getStateMachineArn())
                    .build());
    CfnOutput.Builder.create(this, "StateMachineArns").value(stateMachineArns()).build();
    CfnOutput.Builder.create(this, "TableName").value(table.getTableName()).build();
    CfnOutput.Builder.create(this, "BlobBucket").value(bucket.getBucketName()).build();
    CfnOutput.Builder.create(this, "ApiFunctionAlias")
        .value(only(Handler.Trigger.HTTP_API).alias().getFunctionArn())
        .build();
    CfnOutput.Builder.create(this, "AlarmTopicArn").value(alarms.topic().getTopicArn()).build();
  }

  private static Attribute string(String name) {
    return Attribute.builder().name(name).type(AttributeType.STRING).build();
  }

  static PolicyStatement statement(List<String> actions, String resource) {
    return PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(actions)
        .resources(List.of(resource))
        .build();
  }
}
