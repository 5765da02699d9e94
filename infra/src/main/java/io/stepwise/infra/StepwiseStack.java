package io.stepwise.infra;

import io.stepwise.store.StateTable;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
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
 * Stepwise on AWS: the state table, the blob bucket, one function per handler, the state machine from
 * statemachine.asl.json, the EventBridge triggers, the HTTP API, alarms and outputs. Every permission is
 * granted where the resource is wired, to the one function that needs it.
 */
public final class StepwiseStack extends Stack {

  /** Days images and large step outputs are kept: as long as the tasks that point at them (30 d default). */
  static final int BLOB_RETENTION_DAYS = 30;

  /** Days the blob bucket's access logs are kept: who fetched an image stays answerable after the image is gone. */
  static final int ACCESS_LOG_RETENTION_DAYS = 90;

  /**
   * aws-cdk-lib's flag for server access logs by bucket policy (the default of new CDK projects), set on this
   * stack so that it holds however the app is built (cdk.json, the tests, the LocalStack deployment).
   */
  static final String ACCESS_LOGS_BY_BUCKET_POLICY = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy";

  /**
   * C1 only: a short-lived handler gains more from fast JIT warm-up than from C2's peak speed. The AWS SDK's
   * URLConnection client instead of the Apache one it would pick first: fewer classes to load at init (both are in
   * the jar; io.stepwise.bench.ColdStartBenchmark runs with the same flags).
   */
  static final String JAVA_TOOL_OPTIONS =
      "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
          + " -Dsoftware.amazon.awssdk.http.service.impl=software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService";

  private final StackConfig config;
  private final WorkflowDefinition definition;
  private final Table table;
  private final Bucket bucket;
  private final Map<String, Secret> modelSecrets;
  private final Map<Handler, StepwiseFunction> functions = new EnumMap<>(Handler.class);
  private final StateMachine stateMachine;

  public StepwiseStack(Construct scope, String id, StackProps props, StackConfig config) {
    super(scope, id, props);
    getNode().setContext(ACCESS_LOGS_BY_BUCKET_POLICY, true);
    this.config = config;
    this.definition = WorkflowDefinition.read(config.definition());
    this.table = createTable();
    this.bucket = createBucket();
    this.modelSecrets = createModelSecrets();
    createFunctions();
    grantTableAccess();
    grantBlobAccess();
    grantSecrets();
    this.stateMachine = new Workflow(this, definition, functions).stateMachine();
    grantWorkflowControl();
    new Triggers(this, stateMachine, functions);
    Api api = config.httpApi() ? new Api(this, config, functions.get(Handler.API)) : null;
    Alarms alarms = new Alarms(this, stateMachine, functions.get(Handler.HEALTH_CHECK), api, config.alarmEmails());
    createOutputs(api, alarms);
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
        .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(BLOB_RETENTION_DAYS)).build()))
        .removalPolicy(RemovalPolicy.RETAIN)
        // Who read or wrote which image and checkpoint (presigned downloads included).
        .serverAccessLogsBucket(createAccessLogBucket())
        .serverAccessLogsPrefix("blobs/")
        .build();
  }

  /**
   * Where S3 delivers the blob bucket's server access logs, through a bucket policy for the logging service
   * ({@link #ACCESS_LOGS_BY_BUCKET_POLICY}), not the deprecated log-delivery ACL. Kept longer than the blobs,
   * retained like them.
   */
  private Bucket createAccessLogBucket() {
    return Bucket.Builder.create(this, "BlobAccessLogs")
        .encryption(BucketEncryption.S3_MANAGED)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
        .enforceSsl(true)
        .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(ACCESS_LOG_RETENTION_DAYS)).build()))
        .removalPolicy(RemovalPolicy.RETAIN)
        .build();
  }

  /** One secret per configured model; its value (the API key) is set by the operator, never by this code. */
  private Map<String, Secret> createModelSecrets() {
    Map<String, Secret> secrets = new LinkedHashMap<>();
    for (String model : config.models()) {
      Secret secret =
          Secret.Builder.create(this, "ModelKey-" + model)
              .description("API key of model " + model + " (set with put-secret-value)")
              .build();
      Nag.acknowledge(secret, "SMG4",
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
          config.functionsJar().toAbsolutePath() + " is missing: run ./mvnw package (functions) first");
    }
    Code code = Code.fromAsset(config.functionsJar().toString());
    for (Handler handler : Handler.values()) {
      functions.put(
          handler,
          new StepwiseFunction(this, handler, code, handler.timeoutSeconds(definition), environment(handler)));
    }
  }

  private Map<String, String> environment(Handler handler) {
    Map<String, String> env = new HashMap<>();
    env.put("STEPWISE_TABLE", table.getTableName());
    env.put("STEPWISE_BLOBS_BUCKET", bucket.getBucketName());
    env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
    if (handler == Handler.ANALYZE || handler == Handler.HEALTH_CHECK) {
      // stepwise.models.<name>.api-key-secret: the secret's ARN, never its value.
      modelSecrets.forEach((model, secret) -> env.put(secretVariable(model), secret.getSecretArn()));
    }
    env.putAll(config.functionEnvironment());
    return env;
  }

  static String secretVariable(String model) {
    return "STEPWISE_MODELS_" + model.toUpperCase().replace('-', '_') + "_API_KEY_SECRET";
  }

  private void grantTableAccess() {
    // SnapStart priming describes the table once before the snapshot (functions: crac/), for every function.
    for (StepwiseFunction function : functions.values()) {
      function.allow(statement(List.of("dynamodb:DescribeTable"), table.getTableArn()));
    }
    for (Handler step : Handler.steps()) {
      functions.get(step).allow(TableAccess.readWrite(table, TableAccess.TASKS));
    }
    // The model router reads health and puts a model that failed during a task in cooldown.
    functions
        .get(Handler.ANALYZE)
        .allow(TableAccess.items(table, List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"),
            TableAccess.MODELS));
    functions.get(Handler.RECORD_FAILURE).allow(TableAccess.readWrite(table, TableAccess.TASKS));
    functions.get(Handler.EXECUTION_EVENTS).allow(TableAccess.readWrite(table, TableAccess.TASKS));
    // Reads the models' latest health and records each probe; nothing of tasks.
    functions.get(Handler.HEALTH_CHECK).allow(TableAccess.readWrite(table, TableAccess.MODELS));
    StepwiseFunction api = functions.get(Handler.API);
    api.allow(TableAccess.readWrite(table, TableAccess.TASKS, TableAccess.BATCHES, TableAccess.MODELS));
    api.allow(TableAccess.queryIndexes(table, StateTable.indexes().stream().map(StateTable.Index::name).toList()));
  }

  /**
   * Why blob access names objects by pattern: object keys carry the task and run they belong to
   * ({@code checkpoints/<taskId>/<runId>/...}, {@code images/<taskId>/<runId>/...}), so no key exists before its
   * task; the grant is still only Get/Put of objects, of this bucket, with no List or Delete.
   */
  static final String BLOB_OBJECTS_REASON =
      "Objects are keyed by the task and run that write them (checkpoints/<taskId>/<runId>/..., "
          + "images/<taskId>/<runId>/...), created at run time, so only a pattern can name them; the statement "
          + "allows GetObject/PutObject on this one bucket's objects, no List, Delete or bucket action.";

  private void grantBlobAccess() {
    String objects = bucket.arnForObjects("*");
    for (Handler step : Handler.steps()) {
      functions.get(step).allowPattern(List.of("s3:GetObject", "s3:PutObject"), objects, BLOB_OBJECTS_REASON);
    }
    // The checkpoint view reads outputs that were moved to the bucket.
    functions.get(Handler.API).allowPattern(List.of("s3:GetObject"), objects, BLOB_OBJECTS_REASON);
  }

  private void grantSecrets() {
    for (Secret secret : modelSecrets.values()) {
      secret.grantRead(functions.get(Handler.ANALYZE).role());
      secret.grantRead(functions.get(Handler.HEALTH_CHECK).role());
    }
  }

  /** The api starts, stops, inspects, redrives and lists executions of this state machine and no other. */
  private void grantWorkflowControl() {
    StepwiseFunction api = functions.get(Handler.API);
    api.function().addEnvironment("STEPWISE_STATE_MACHINE_ARN", stateMachine.getStateMachineArn());
    api.allow(
        statement(List.of("states:StartExecution", "states:ListExecutions"), stateMachine.getStateMachineArn()));
    api.allowPattern(
        List.of("states:StopExecution", "states:DescribeExecution", "states:RedriveExecution"),
        executionsOf(stateMachine),
        "Executions are started by this function at run time, named <taskId>--r<n>, so only a pattern can name "
            + "them; the pattern is limited to executions of this state machine and the actions to stop, "
            + "describe and redrive.");
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

  private void createOutputs(Api api, Alarms alarms) {
    if (api != null) {
      CfnOutput.Builder.create(this, "ApiUrl").value(api.url()).build();
    }
    CfnOutput.Builder.create(this, "StateMachineArn").value(stateMachine.getStateMachineArn()).build();
    CfnOutput.Builder.create(this, "TableName").value(table.getTableName()).build();
    CfnOutput.Builder.create(this, "BlobBucket").value(bucket.getBucketName()).build();
    CfnOutput.Builder.create(this, "ApiFunctionAlias")
        .value(functions.get(Handler.API).alias().getFunctionArn())
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
