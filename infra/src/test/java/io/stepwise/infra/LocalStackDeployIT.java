package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.fakes.ModelServer;
import io.stepwise.fakes.PaperSourceServer;
import io.stepwise.model.Pipelines;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awscdk.App;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Deploys the synthesised stack to LocalStack (CloudFormation, Lambda, Step Functions, DynamoDB,
 * EventBridge) and runs one task end to end through the deployed api function: all five real steps,
 * invoked by the deployed state machine through the live aliases. The outside systems are the
 * protocol servers of {@code fakes}, reached from the Lambda containers through a relay on the
 * Docker host.
 *
 * <p>Needs a Docker engine (LocalStack runs in one and starts a container per function). Where none
 * runs, the test is skipped, saying so; it never passes without deploying.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackDeployIT {

  private static final DockerImageName LOCALSTACK =
      DockerImageName.parse("localstack/localstack:4.4");
  private static final String ASSET_BUCKET = "stepwise-it-assets";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalStackContainer localstack;
  private PaperSourceServer papers;
  private ModelServer models;
  private final List<HostRelay> relays = new ArrayList<>();

  private static final String NO_DOCKER =
      "SKIPPED: no Docker engine is running here; LocalStackDeployIT deploys the stack to LocalStack and runs a"
          + " task end to end wherever Docker runs (the synthesised template is tested by the *Test classes)";

  private boolean docker;

  @BeforeAll
  void start() {
    docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      System.out.println("LocalStackDeployIT " + NO_DOCKER);
      return;
    }
    papers = PaperSourceServer.start(0);
    models = ModelServer.start(0);
    localstack =
        new LocalStackContainer(LOCALSTACK)
            .withEnv("LAMBDA_DOCKER_FLAGS", "--add-host=host.docker.internal:host-gateway")
            .withFileSystemBind("/var/run/docker.sock", "/var/run/docker.sock")
            .withStartupTimeout(Duration.ofMinutes(3));
    localstack.start();
  }

  @AfterAll
  void stop() {
    relays.forEach(HostRelay::close);
    if (localstack != null) {
      localstack.stop();
    }
    if (papers != null) {
      papers.close();
      models.close();
    }
  }

  @Test
  void deployedStack_runsATaskThroughAllFiveStepsOfTheDigestEndToEnd() throws Exception {
    // Reported as skipped, with the reason, not as a pass: nothing was deployed.
    Assumptions.assumeTrue(docker, NO_DOCKER);
    Map<String, String> outputs =
        deploy(
            StackConfig.defaults()
                .withHttpApi(
                    false) // API Gateway v2 is not in LocalStack's free edition: the api alias is
                // invoked directly
                .withAuth(
                    new Auth.None()) // nor is Cognito: no authorizer, so the open mode of tenancy
                .withFunctionEnvironment(
                    Map.of(
                        "STEPWISE_ARXIV_URL", relayed(papers.arxivUrl()),
                        "STEPWISE_HF_URL", relayed(papers.huggingFaceUrl()),
                        "STEPWISE_MODELS_OPENAI_BASE_URL", relayed(models.apiBase()),
                        "OPENAI_API_KEY", "sk-localstack-it-00000000")));

    // One state machine per pipeline, every one named to the api (STEPWISE_STATE_MACHINE_ARNS).
    assertThat(outputs.get("StateMachineArns").split(","))
        .hasSize(Pipelines.installed().all().size())
        .contains("paper-digest=" + outputs.get("StateMachineArn"));

    try (LambdaClient lambda = client(LambdaClient.builder())) {
      String api = outputs.get("ApiFunctionAlias");
      JsonNode created =
          call(
              lambda,
              api,
              "POST",
              "/api/tasks",
              "{\"maxPapers\":1,\"publish\":{\"target\":\"none\"}}");
      assertThat(created.path("statusCode").asInt()).as("%s", created).isEqualTo(202);
      String taskId = JSON.readTree(created.path("body").asText()).path("taskId").asText();

      JsonNode task = null;
      long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
      while (System.currentTimeMillis() < deadline) {
        task =
            JSON.readTree(
                call(lambda, api, "GET", "/api/tasks/" + taskId, null).path("body").asText());
        if (List.of("succeeded", "failed").contains(task.path("status").asText())) {
          break;
        }
        Thread.sleep(2000);
      }
      assertThat(task).isNotNull();
      assertThat(task.path("status").asText()).as("task %s", task).isEqualTo("succeeded");
      assertThat(task.path("steps"))
          .hasSize(5)
          .allSatisfy(step -> assertThat(step.path("status").asText()).isEqualTo("succeeded"));
    }
  }

  /**
   * Synthesises the stack with its assets in our own bucket, uploads them, creates the stack,
   * returns outputs.
   */
  private Map<String, String> deploy(StackConfig config) throws Exception {
    Path out = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cdk-it");
    App app = App.Builder.create().outdir(out.toString()).build();
    new StepwiseStack(
        app,
        "Stepwise",
        StackProps.builder()
            .synthesizer(
                DefaultStackSynthesizer.Builder.create()
                    .fileAssetsBucketName(ASSET_BUCKET)
                    .generateBootstrapVersionRule(false)
                    .build())
            .build(),
        config);
    CloudAssembly assembly = app.synth();

    try (S3Client s3 = client(S3Client.builder().forcePathStyle(true));
        CloudFormationClient cfn = client(CloudFormationClient.builder())) {
      s3.createBucket(b -> b.bucket(ASSET_BUCKET));
      JsonNode assets = JSON.readTree(out.resolve("Stepwise.assets.json").toFile()).path("files");
      for (JsonNode asset : assets) {
        Path source = out.resolve(asset.path("source").path("path").asText());
        for (JsonNode destination : asset.path("destinations")) {
          s3.putObject(
              b -> b.bucket(ASSET_BUCKET).key(destination.path("objectKey").asText()),
              RequestBody.fromFile(source));
        }
      }
      Path template = out.resolve(assembly.getStackByName("Stepwise").getTemplateFile());
      s3.putObject(
          b -> b.bucket(ASSET_BUCKET).key("Stepwise.template.json"),
          RequestBody.fromFile(template));
      String templateUrl =
          localstack.getEndpoint() + "/" + ASSET_BUCKET + "/Stepwise.template.json";
      cfn.createStack(
          b ->
              b.stackName("Stepwise")
                  .templateURL(templateUrl)
                  .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM));
      cfn.waiter()
          .waitUntilStackCreateComplete(
              b -> b.stackName("Stepwise"), w -> w.waitTimeout(Duration.ofMinutes(10)));
      return cfn.describeStacks(b -> b.stackName("Stepwise")).stacks().get(0).outputs().stream()
          .collect(Collectors.toMap(Output::outputKey, Output::outputValue));
    }
  }

  /**
   * An API Gateway HTTP API (payload 2.0) event into the api alias, as API Gateway would send it.
   */
  private static JsonNode call(
      LambdaClient lambda, String function, String method, String path, String body)
      throws Exception {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", path);
    event.put("rawQueryString", "");
    event.put("headers", Map.of("content-type", "application/json"));
    event.put(
        "requestContext",
        Map.of(
            "http",
            Map.of("method", method, "path", path, "sourceIp", "127.0.0.1"),
            "routeKey",
            "$default",
            "stage",
            "$default"));
    event.put("isBase64Encoded", false);
    if (body != null) {
      event.put("body", body);
    }
    SdkBytes payload = SdkBytes.fromByteArray(JSON.writeValueAsBytes(event));
    var response = lambda.invoke(b -> b.functionName(function).payload(payload));
    assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
    return JSON.readTree(response.payload().asUtf8String());
  }

  /**
   * The URL as a Lambda container sees it: through a relay on the Docker host (the fakes listen on
   * loopback).
   */
  private String relayed(String url) {
    URI uri = URI.create(url);
    HostRelay relay = HostRelay.start(uri.getPort());
    relays.add(relay);
    return url.replace(uri.getHost() + ":" + uri.getPort(), "host.docker.internal:" + relay.port());
  }

  private <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
    return builder
        .endpointOverride(localstack.getEndpoint())
        .region(Region.of(localstack.getRegion()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey())))
        .build();
  }
}
