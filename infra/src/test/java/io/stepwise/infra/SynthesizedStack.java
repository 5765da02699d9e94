package io.stepwise.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import io.stepwise.model.Pipelines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;
import software.amazon.awscdk.cxapi.MetadataEntryResult;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;

/**
 * One synthesised Stepwise stack and the questions the tests ask of its template: which function is
 * which handler, what each role may do. Reads only the template, never the constructs, so it checks
 * what CloudFormation would deploy.
 */
final class SynthesizedStack {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> TEMPLATE = new TypeReference<>() {};

  final StepwiseStack stack;
  final Template template;

  /** What synthesis reported (warnings, cdk-nag's findings): read from the same synthesis. */
  private final List<SynthesisMessage> messages;

  /** Each resource's construct path ({@code /Stepwise/...}) by its logical id. */
  private final Map<String, String> paths = new HashMap<>();

  final JsonNode resources;

  /**
   * Synthesises the app once, for both the template and the messages: the assertions library's
   * {@code Template.fromStack} and {@code Annotations.fromStack} each synthesise the whole app
   * again (forced), seconds per call.
   */
  private SynthesizedStack(StepwiseStack stack) {
    this.stack = stack;
    CloudFormationStackArtifact artifact =
        ((Stage) stack.getNode().getRoot()).synth().getStackArtifact(stack.getArtifactId());
    this.template = Template.fromJSON(JSON.convertValue(artifact.getTemplate(), TEMPLATE));
    this.messages = List.copyOf(artifact.getMessages());
    for (MetadataEntryResult logicalId : artifact.findMetadataByType("aws:cdk:logicalId")) {
      paths.put(String.valueOf(logicalId.getData()), logicalId.getPath());
    }
    this.resources = JSON.valueToTree(template.toJSON()).path("Resources");
  }

  /**
   * Each configuration of the installed pipelines synthesised once for the whole test JVM, with
   * cdk-nag's checks as the app runs them (they only report: the template is the same), so the
   * tests of auth modes, the app and cdk-nag share syntheses of seconds each.
   */
  private static final Map<StackConfig, SynthesizedStack> SYNTHESISED = new ConcurrentHashMap<>();

  private static SynthesizedStack withEcho;

  /** The stack as {@code cdk synth} builds it with no context. */
  static SynthesizedStack defaults() {
    return of(StackConfig.defaults());
  }

  /** The default stack with a second pipeline ({@link EchoPipeline}) beside the installed ones. */
  static synchronized SynthesizedStack withEchoPipeline() {
    if (withEcho == null) {
      withEcho = synthesise(StackConfig.defaults(), EchoPipeline.withInstalled());
    }
    return withEcho;
  }

  /** The stack of this configuration and the installed pipelines (shared, see above). */
  static SynthesizedStack of(StackConfig config) {
    // Not computeIfAbsent, whose mapping function should be short: a synthesis takes seconds.
    SynthesizedStack known = SYNTHESISED.get(config);
    if (known != null) {
      return known;
    }
    SynthesizedStack made = synthesise(config, Pipelines.installed());
    SynthesizedStack raced = SYNTHESISED.putIfAbsent(config, made);
    return raced == null ? made : raced;
  }

  /**
   * The stack synthesised with cdk-nag's AwsSolutions checks, as the app runs them; acknowledged
   * findings are reported too, as info annotations, so a test can tell an acknowledgment that
   * answers nothing.
   */
  private static SynthesizedStack synthesise(StackConfig config, Pipelines pipelines) {
    App app = App.Builder.create().context(cdkJsonContext()).build();
    Aspects.of(app).add(Nag.checks(true));
    return new SynthesizedStack(
        new StepwiseStack(app, "Stepwise", StackProps.builder().build(), config, pipelines));
  }

  /** What this stack deployed. */
  Catalogue catalogue() {
    return stack.catalogue();
  }

  /** This stack's catalogue function of this name (e.g. {@link Handlers#API}, {@code analyze}). */
  Handler handler(String functionName) {
    return catalogue().handlers().named(functionName);
  }

  /**
   * One finding of a cdk-nag rule on the resource at {@code path}: level error or warning (no one
   * acknowledged it) or info (acknowledged); {@code finding} is the part of a granular rule's id in
   * brackets, e.g. IAM5's {@code Resource::*}, empty for other rules.
   */
  record NagFinding(String level, String rule, String finding, String path, String message) {

    private static final Pattern REPORTED =
        Pattern.compile(
            "(?<rule>"
                + Nag.PACK
                + "-\\w+|CdkNagValidationFailure)(?:\\[(?<finding>.*?)])?: (?<message>.*)",
            Pattern.DOTALL);
    private static final Pattern ACKNOWLEDGED =
        Pattern.compile(
            "CdkNagSuppression(?:\\[(?<finding>.*?)])?: (?<rule>"
                + Nag.PACK
                + "-\\w+) was triggered but suppressed\\."
                + " *(?<message>.*)",
            Pattern.DOTALL);

    static NagFinding of(String level, SynthesisMessage m) {
      String text = String.valueOf(m.getEntry().getData()).strip();
      Matcher match = (level.equals("info") ? ACKNOWLEDGED : REPORTED).matcher(text);
      if (!match.matches()) {
        throw new AssertionError("not a cdk-nag message: " + text);
      }
      String finding = match.group("finding") == null ? "" : match.group("finding");
      return new NagFinding(level, match.group("rule"), finding, m.getId(), match.group("message"));
    }

    /** The id as cdk-nag prints it: {@code AwsSolutions-IAM5[Resource::*]}. */
    String id() {
      return finding.isEmpty() ? rule : rule + "[" + finding + "]";
    }

    @Override
    public String toString() {
      return level + " " + id() + " at " + path + ": " + message;
    }
  }

  /**
   * The AwsSolutions errors and warnings, and rules that failed to run: findings no one
   * acknowledged.
   */
  List<NagFinding> nagFindings() {
    List<NagFinding> findings = new ArrayList<>();
    messages(SynthesisMessageLevel.ERROR, Nag.PACK + "-.*")
        .forEach(m -> findings.add(NagFinding.of("error", m)));
    // CdkNagValidationFailure: a rule that could not evaluate a resource (e.g. a value it cannot
    // resolve).
    messages(SynthesisMessageLevel.WARNING, "(" + Nag.PACK + "-|CdkNagValidationFailure).*")
        .forEach(m -> findings.add(NagFinding.of("warning", m)));
    return findings;
  }

  /** The findings acknowledged in code (reported as info: {@link #synthesise}). */
  List<NagFinding> acknowledgedNagFindings() {
    List<NagFinding> findings = new ArrayList<>();
    messages(SynthesisMessageLevel.INFO, "CdkNagSuppression.*")
        .forEach(m -> findings.add(NagFinding.of("info", m)));
    return findings;
  }

  /**
   * What Nag wrote on each resource it acknowledges a finding of ({@code cdk_nag} in the resource's
   * template metadata: {@code rules_to_suppress}), by the resource's construct path. Read from the
   * template rather than by walking the construct tree, which takes seconds of jsii calls.
   */
  Map<String, JsonNode> nagMetadata() {
    Map<String, JsonNode> byPath = new LinkedHashMap<>();
    resources
        .fields()
        .forEachRemaining(
            r -> {
              JsonNode nag = r.getValue().path("Metadata").path("cdk_nag");
              if (!nag.isMissingNode()) {
                byPath.put(
                    Objects.requireNonNull(paths.get(r.getKey()), "no path for " + r.getKey()),
                    nag);
              }
            });
    return byPath;
  }

  /**
   * The messages of a level on any construct whose text the pattern finds (as {@code
   * Annotations.find*("*", Match.stringLikeRegexp(pattern))}, unanchored).
   */
  private List<SynthesisMessage> messages(SynthesisMessageLevel level, String pattern) {
    Pattern p = Pattern.compile(pattern, Pattern.DOTALL);
    return messages.stream()
        .filter(m -> m.getLevel() == level)
        .filter(m -> p.matcher(String.valueOf(m.getEntry().getData())).find())
        .toList();
  }

  /** The context cdk.json gives the app, so the tests synthesise what {@code cdk synth} does. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> cdkJsonContext() {
    try {
      return JSON.readValue(Path.of("cdk.json").toFile(), Map.class).get("context")
              instanceof Map<?, ?> m
          ? (Map<String, Object>) m
          : Map.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> warnings() {
    List<String> texts = new ArrayList<>();
    for (SynthesisMessage m : messages(SynthesisMessageLevel.WARNING, "")) {
      texts.add(String.valueOf(m.getEntry().getData()));
    }
    return texts;
  }

  /**
   * The logical id of each pipeline's state machine, read from the api function's
   * STEPWISE_STATE_MACHINE_ARNS ({@code pipeline=arn,...}, each ARN a Ref to a state machine), in
   * the variable's order.
   */
  Map<String, String> stateMachinesByPipeline() {
    JsonNode value =
        properties(function(handler(Handlers.API)))
            .path("Environment")
            .path("Variables")
            .path(StepwiseStack.STATE_MACHINE_ARNS_VARIABLE);
    Map<String, String> machines = new LinkedHashMap<>();
    Matcher ref = Pattern.compile("\\{Ref:([^}]+)}").matcher("");
    for (String pair : render(value).split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || !ref.reset(pair.substring(eq + 1)).matches()) {
        throw new AssertionError("not pipeline={Ref:<state machine>}: " + pair + " in " + value);
      }
      String machine = ref.group(1);
      if (!"AWS::StepFunctions::StateMachine"
          .equals(resources.path(machine).path("Type").asText())) {
        throw new AssertionError(pair + " is no state machine of the template");
      }
      machines.put(pair.substring(0, eq), machine);
    }
    return machines;
  }

  /** The logical id of the role a state machine runs as. */
  String roleOfStateMachine(String machineId) {
    return properties(machineId).path("RoleArn").path("Fn::GetAtt").path(0).asText();
  }

  /**
   * A template value as text: strings as they are, a Ref as {@code {Ref:<id>}}, Fn::Join joined.
   */
  static String render(JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.has("Ref")) {
      return "{Ref:" + value.path("Ref").asText() + "}";
    }
    if (value.has("Fn::GetAtt")) {
      return "{GetAtt:"
          + value.path("Fn::GetAtt").path(0).asText()
          + "."
          + value.path("Fn::GetAtt").path(1).asText()
          + "}";
    }
    if (value.has("Fn::Join")) {
      List<String> parts = new ArrayList<>();
      value.path("Fn::Join").path(1).forEach(part -> parts.add(render(part)));
      return String.join(value.path("Fn::Join").path(0).asText(), parts);
    }
    throw new AssertionError("cannot render " + value);
  }

  /**
   * A cycle among the template's resources, following every {@code Ref}, {@code Fn::GetAtt} and
   * {@code DependsOn} from one resource to another, as CloudFormation orders them; empty when there
   * is none. CDK does not look for one inside a stack: CloudFormation would refuse the template at
   * deploy time ("Circular dependency").
   */
  List<String> dependencyCycle() {
    return dependencyCycle(resources);
  }

  /** {@link #dependencyCycle()} of a template's {@code Resources}. */
  static List<String> dependencyCycle(JsonNode resources) {
    Map<String, Set<String>> edges = new LinkedHashMap<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              Set<String> targets = new TreeSet<>();
              collectReferences(e.getValue(), targets);
              targets.retainAll(toSet(resources.fieldNames()));
              edges.put(e.getKey(), targets);
            });
    Map<String, Integer> state = new HashMap<>(); // 1 on the current path, 2 done
    for (String start : edges.keySet()) {
      List<String> cycle = visit(start, edges, state, new ArrayList<>());
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  private static List<String> visit(
      String node, Map<String, Set<String>> edges, Map<String, Integer> state, List<String> path) {
    Integer seen = state.get(node);
    if (seen != null) {
      return seen == 1 ? new ArrayList<>(path.subList(path.indexOf(node), path.size())) : List.of();
    }
    state.put(node, 1);
    path.add(node);
    for (String next : edges.get(node)) {
      List<String> cycle = visit(next, edges, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
    return List.of();
  }

  private static void collectReferences(JsonNode node, Set<String> into) {
    if (node.isObject()) {
      if (node.has("Ref") && node.path("Ref").isTextual()) {
        into.add(node.path("Ref").asText());
      }
      if (node.path("Fn::GetAtt").isArray()) {
        into.add(node.path("Fn::GetAtt").path(0).asText());
      }
      node.path("DependsOn").forEach(d -> into.add(d.asText()));
      if (node.path("DependsOn").isTextual()) {
        into.add(node.path("DependsOn").asText());
      }
      node.elements().forEachRemaining(child -> collectReferences(child, into));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collectReferences(child, into));
    }
  }

  private static Set<String> toSet(Iterator<String> names) {
    Set<String> set = new HashSet<>();
    names.forEachRemaining(set::add);
    return set;
  }

  /** Logical ids of the resources of a type. */
  List<String> ofType(String type) {
    List<String> ids = new ArrayList<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              if (type.equals(e.getValue().path("Type").asText())) {
                ids.add(e.getKey());
              }
            });
    return ids;
  }

  /** The value of a stack output, as the template holds it. */
  JsonNode output(String name) {
    return JSON.valueToTree(template.toJSON()).path("Outputs").path(name).path("Value");
  }

  JsonNode properties(String logicalId) {
    return resources.path(logicalId).path("Properties");
  }

  /** The logical id of the Lambda function running the handler. */
  String function(Handler handler) {
    List<String> matches =
        ofType("AWS::Lambda::Function").stream()
            .filter(id -> handler.className().equals(properties(id).path("Handler").asText()))
            .toList();
    if (matches.size() != 1) {
      throw new AssertionError(matches.size() + " functions run " + handler.className());
    }
    return matches.get(0);
  }

  /** The logical id of the function's alias named live. */
  String liveAlias(Handler handler) {
    String function = function(handler);
    List<String> matches =
        ofType("AWS::Lambda::Alias").stream()
            .filter(id -> function.equals(properties(id).path("FunctionName").path("Ref").asText()))
            .filter(id -> StepwiseFunction.ALIAS.equals(properties(id).path("Name").asText()))
            .toList();
    if (matches.size() != 1) {
      throw new AssertionError(matches.size() + " live aliases of " + handler);
    }
    return matches.get(0);
  }

  /** The logical id of the role a function runs as. */
  String roleOf(Handler handler) {
    return properties(function(handler)).path("Role").path("Fn::GetAtt").path(0).asText();
  }

  /**
   * Every Allow/Deny statement of the identity policies attached to the role (inline or
   * AWS::IAM::Policy).
   */
  List<JsonNode> statementsOf(String roleId) {
    List<JsonNode> statements = new ArrayList<>();
    for (String policy : ofType("AWS::IAM::Policy")) {
      for (JsonNode role : properties(policy).path("Roles")) {
        if (roleId.equals(role.path("Ref").asText())) {
          properties(policy).path("PolicyDocument").path("Statement").forEach(statements::add);
        }
      }
    }
    for (JsonNode inline : properties(roleId).path("Policies")) {
      inline.path("PolicyDocument").path("Statement").forEach(statements::add);
    }
    return statements;
  }

  /** Every identity-policy statement of the template, with the logical id of its role. */
  List<Map.Entry<String, JsonNode>> allStatements() {
    List<Map.Entry<String, JsonNode>> all = new ArrayList<>();
    for (String role : ofType("AWS::IAM::Role")) {
      statementsOf(role).forEach(s -> all.add(Map.entry(role, s)));
    }
    return all;
  }

  static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      Iterator<JsonNode> it = node.elements();
      it.forEachRemaining(v -> values.add(v.isTextual() ? v.asText() : v.toString()));
    } else if (!node.isMissingNode()) {
      values.add(node.isTextual() ? node.asText() : node.toString());
    }
    return values;
  }
}
