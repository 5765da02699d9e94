package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.infra.SynthesizedStack.NagFinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;

/**
 * cdk-nag's AwsSolutions rules over the synthesised stack, as {@code cdk synth} runs them: every
 * finding is fixed or acknowledged on its own resource with a reason, and every acknowledgment
 * answers a finding there.
 */
class AwsSolutionsNagTest {

  private static final String DEFAULTS = "cdk.json defaults: Cognito sign-in";
  private static final String AUTH_NONE = "auth=none: API open";

  private static SynthesizedStack defaults;

  @BeforeAll
  static void synthesise() {
    defaults = SynthesizedStack.defaults();
  }

  static Stream<Arguments> configurations() {
    StackConfig d = StackConfig.defaults();
    return Stream.of(
        nagged(DEFAULTS, d),
        nagged(
            "Cognito, own domain prefix and callback URLs",
            d.withAuth(
                new Auth.Cognito("acme-stepwise", List.of("https://stepwise.acme.example/")))),
        nagged("external JWT issuer", d.withJwt("https://issuer.example/", List.of("stepwise"))),
        nagged(
            "external JWT issuer, dashboard sign-in",
            d.withAuth(
                new Auth.External(
                    "https://issuer.example/",
                    List.of("stepwise"),
                    Optional.of(AuthModesTest.EXTERNAL_SIGN_IN)))),
        nagged(AUTH_NONE, d.withAuth(new Auth.None())),
        nagged(
            "auth=none, no HTTP API (LocalStack)", d.withAuth(new Auth.None()).withHttpApi(false)),
        nagged(
            "two models, alarm emails, own throttle",
            new StackConfig(
                d.functionsJar(),
                Auth.Cognito.DEFAULT,
                List.of("openai", "claude"),
                true,
                Map.of(),
                List.of("oncall@example.com"),
                new StackConfig.Throttle(5, 10))),
        // A pipeline more: its functions and state machine get the same treatment without a line of
        // Nag code.
        Arguments.of(
            "a second pipeline (echo)",
            (Supplier<SynthesizedStack>) SynthesizedStack::withEchoPipeline));
  }

  /** A configuration of the installed pipelines, synthesised (once, shared) when a test asks. */
  private static Arguments nagged(String name, StackConfig config) {
    return Arguments.of(name, (Supplier<SynthesizedStack>) () -> SynthesizedStack.of(config));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void synthesis_hasNoUnacknowledgedAwsSolutionsErrorOrWarning(
      String name, Supplier<SynthesizedStack> synthesis) {
    SynthesizedStack synth = synthesis.get();
    List<NagFinding> findings = synth.nagFindings();
    assertThat(findings)
        .withFailMessage(
            () ->
                findings.size()
                    + " unacknowledged cdk-nag findings ("
                    + countByRule(findings)
                    + "): fix each, or acknowledge it on its resource through Nag with the reason it cannot be fixed\n"
                    + findings.stream().map(NagFinding::toString).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void everyAcknowledgment_answersAFindingOfItsResource_withASpecificReason(
      String name, Supplier<SynthesizedStack> synthesis) {
    SynthesizedStack synth = synthesis.get();
    List<NagFinding> acknowledged = synth.acknowledgedNagFindings();
    List<String> unanswered = new ArrayList<>();
    List<Acknowledgment> acknowledgments = acknowledgments(synth);
    assertThat(acknowledgments).as("acknowledgments Nag wrote on the resources").isNotEmpty();
    for (Acknowledgment a : acknowledgments) {
      assertThat(a.reason()).as("reason of %s", a).hasSizeGreaterThan(80);
      if (a.id().equals(Nag.PACK + "-IAM5")) {
        assertThat(a.appliesTo())
            .as("IAM5 is acknowledged per wildcard, never as a whole: %s", a)
            .isNotEmpty();
      }
      List<String> findings = a.appliesTo().isEmpty() ? List.of("") : a.appliesTo();
      for (String finding : findings) {
        boolean answers =
            acknowledged.stream()
                .anyMatch(
                    f ->
                        f.path().equals(a.path())
                            && f.rule().equals(a.id())
                            && f.finding().equals(finding));
        if (!answers) {
          unanswered.add(a.path() + " " + a.id() + (finding.isEmpty() ? "" : "[" + finding + "]"));
        }
      }
    }
    assertThat(unanswered).as("acknowledgments that answer no finding (remove them)").isEmpty();
    assertThat(acknowledged).as("acknowledged findings").isNotEmpty();
  }

  @Test
  void authNone_acknowledgesOnlyItsOpenDefaultRoute_beyondWhatEveryConfigurationDoes() {
    SynthesizedStack open = SynthesizedStack.of(StackConfig.defaults().withAuth(new Auth.None()));
    List<String> apiAcknowledgments =
        open.acknowledgedNagFindings().stream()
            .filter(f -> f.rule().equals(Nag.PACK + "-APIG4"))
            .map(NagFinding::path)
            .toList();
    assertThat(apiAcknowledgments).containsExactly("/Stepwise/Api/HttpApi/DefaultRoute/Resource");
  }

  @Test
  void nothingIsAcknowledgedForTheWholeStack() {
    Map<String, ?> metadata = defaults.stack.getTemplateOptions().getMetadata();
    assertThat(metadata == null || !metadata.containsKey("cdk_nag"))
        .as("stack metadata %s", metadata)
        .isTrue();
    assertThat(defaults.template.toJSON()).doesNotContainKey("Metadata");
  }

  @Test
  void theDefaultSynthesis_acknowledgesOnlyWhatCannotOrShouldNotChange() {
    Map<String, Long> byRule =
        defaults.acknowledgedNagFindings().stream()
            .collect(Collectors.groupingBy(NagFinding::rule, TreeMap::new, Collectors.counting()));
    // L1: one per function (java21 by design); IAM5: the blob objects of each function that reads
    // or writes them,
    // and per state machine the api's grant on its executions, the reconciler's read of them and
    // the state machine
    // role's log delivery and X-Ray; SMG4: the one model key; APIG4: the dashboard's two static
    // routes. Nothing on
    // the user pool: its password policy, MFA and threat protection pass COG1-3 as they are.
    long blobUsers =
        defaults.catalogue().functions().stream()
            .filter(
                h ->
                    FunctionAccess.of(h).contains(FunctionAccess.Access.BLOBS_READ_WRITE)
                        || FunctionAccess.of(h).contains(FunctionAccess.Access.BLOBS_READ))
            .count();
    long stateMachines = defaults.catalogue().pipelines().size();
    assertThat(byRule)
        .containsExactly(
            Map.entry(Nag.PACK + "-APIG4", (long) Api.PUBLIC_DASHBOARD_PATHS.size()),
            Map.entry(Nag.PACK + "-IAM5", blobUsers + 3 * stateMachines),
            Map.entry(Nag.PACK + "-L1", (long) defaults.catalogue().functions().size()),
            Map.entry(Nag.PACK + "-SMG4", 1L));
  }

  @Test
  void theAppRunsTheChecks_unlessContextTurnsThemOff() {
    assertThat(Nag.enabled(App.Builder.create().context(SynthesizedStack.cdkJsonContext()).build()))
        .isTrue();
    assertThat(Nag.enabled(new App())).isTrue();
    assertThat(Nag.enabled(App.Builder.create().context(Map.of(Nag.CONTEXT_KEY, "false")).build()))
        .isFalse();
  }

  /**
   * One acknowledgment as Nag wrote it on a resource ({@code cdk_nag.rules_to_suppress} in its
   * metadata).
   */
  record Acknowledgment(String path, String id, List<String> appliesTo, String reason) {}

  private static List<Acknowledgment> acknowledgments(SynthesizedStack synth) {
    List<Acknowledgment> all = new ArrayList<>();
    synth
        .nagMetadata()
        .forEach(
            (path, nag) -> {
              for (JsonNode r : nag.path("rules_to_suppress")) {
                List<String> appliesTo = new ArrayList<>();
                r.path("applies_to").forEach(a -> appliesTo.add(a.asText()));
                all.add(
                    new Acknowledgment(
                        path,
                        r.path("id").asText(),
                        List.copyOf(appliesTo),
                        r.path("reason").asText()));
              }
            });
    return all;
  }

  private static Map<String, Long> countByRule(List<NagFinding> findings) {
    return findings.stream()
        .collect(
            Collectors.groupingBy(
                f -> f.level() + " " + f.rule(), TreeMap::new, Collectors.counting()));
  }
}
