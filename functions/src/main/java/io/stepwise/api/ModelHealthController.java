package io.stepwise.api;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.stepwise.health.HealthCheckRecord;
import io.stepwise.health.HealthConfig;
import io.stepwise.health.HealthStore;
import io.stepwise.health.HealthSweep;
import io.stepwise.health.ModelHealth;
import io.stepwise.health.SweepReport;
import io.stepwise.health.UnknownModelException;
import io.stepwise.http.Redaction;
import io.stepwise.model.Times;
import io.stepwise.models.ApiKeys;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelSpec;
import io.stepwise.steps.errors.StepException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /api/models}: model health and configuration. {@code POST /health/check} runs a sweep now;
 * it cannot burn provider quota, because a model checked within the minimum gap is not probed again
 * (the latest result is returned) and concurrent calls share the sweep in flight.
 */
@ApiResponse(
    responseCode = "401",
    description = ApiDocument.UNAUTHORIZED,
    content =
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiDocument.Unauthorized.class)))
@ApiResponse(
    responseCode = "4XX",
    description = ApiDocument.CLIENT_PROBLEM,
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
    responseCode = "5XX",
    description = ApiDocument.SERVER_PROBLEM,
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Controller("/api/models")
public class ModelHealthController {

  private final ModelCatalog catalog;
  private final HealthStore store;
  private final HealthSweep sweep;
  private final HealthConfig config;
  private final ApiKeys keys;

  public ModelHealthController(
      ModelCatalog catalog,
      HealthStore store,
      HealthSweep sweep,
      HealthConfig config,
      ApiKeys keys) {
    this.catalog = catalog;
    this.store = store;
    this.sweep = sweep;
    this.config = config;
    this.keys = keys;
  }

  @ApiResponse(
      responseCode = "200",
      description = "the current representation, with its ETag",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ModelHealthView.Overview.class)))
  @ApiResponse(
      responseCode = "304",
      description = "not modified: If-None-Match named the current ETag; no body")
  @Get("/health")
  @Operation(operationId = "getModelHealth")
  public ModelHealthView.Overview health() {
    return overview(store.latest(names()));
  }

  @Get("/health/{name}")
  @Operation(operationId = "getModelHealthDetail")
  public ModelHealthView.Detail model(@PathVariable String name) {
    ModelSpec spec = catalog.find(name).orElseThrow(() -> new UnknownModelException(name));
    ModelHealthView.Model m = view(spec, store.latest(List.of(name)).get(name));
    List<ModelHealthView.Check> history =
        store.history(name, config.historyLimit()).stream()
            .map(ModelHealthController::check)
            .toList();
    return new ModelHealthView.Detail(
        m.name(),
        m.provider(),
        m.status(),
        m.enabled(),
        m.latencyMs(),
        m.emaLatencyMs(),
        m.successRate(),
        m.consecutiveFailures(),
        m.error(),
        m.quotaRemaining(),
        m.lastCheck(),
        history);
  }

  @RequestBody(
      required = false,
      description = "ignored (an empty object at most)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(type = "object", maxProperties = 0)))
  @Post(value = "/health/check", consumes = MediaType.ALL)
  @Operation(operationId = "checkModelHealth")
  public ModelHealthView.Checked check() {
    SweepReport report = sweep.sweep();
    // Read back rather than use the report: disabled models are listed too, and a lost race shows
    // the winner.
    Map<String, ModelHealth> latest = store.latest(names());
    ModelHealthView.Overview now = overview(latest);
    List<ModelHealthView.NotProbed> skipped =
        report.notProbed().stream()
            .map(latest::get)
            .filter(h -> h != null && h.checkedAt() != null)
            .map(
                h ->
                    new ModelHealthView.NotProbed(
                        h.name(),
                        Times.format(h.checkedAt()),
                        Times.format(h.checkedAt().plus(config.minGap()))))
            .toList();
    return new ModelHealthView.Checked(
        now.checkedAt(), now.intervalSeconds(), now.models(), skipped);
  }

  @Get("/config")
  @Operation(operationId = "listModelConfig")
  public List<ModelHealthView.Config> config() {
    return catalog.all().stream()
        .map(
            m ->
                new ModelHealthView.Config(
                    m.name(),
                    m.provider().wire(),
                    m.baseUrl(),
                    m.model(),
                    maskedKey(m),
                    m.weight(),
                    m.enabled()))
        .toList();
  }

  /** The key masked ({@code sk-…abcd}); null when the model has none or it cannot be read now. */
  private String maskedKey(ModelSpec model) {
    try {
      return keys.keyFor(model).map(Redaction::mask).orElse(null);
    } catch (StepException unreadable) {
      return null;
    }
  }

  private List<String> names() {
    return catalog.all().stream().map(ModelSpec::name).toList();
  }

  private ModelHealthView.Overview overview(Map<String, ModelHealth> latest) {
    List<ModelHealthView.Model> models =
        catalog.all().stream().map(m -> view(m, latest.get(m.name()))).toList();
    Instant checkedAt =
        latest.values().stream()
            .map(ModelHealth::checkedAt)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(null);
    return new ModelHealthView.Overview(
        checkedAt == null ? null : Times.format(checkedAt), config.interval().toSeconds(), models);
  }

  private static ModelHealthView.Model view(ModelSpec spec, ModelHealth h) {
    ModelHealthView.Error error =
        h.errorCode() == null ? null : new ModelHealthView.Error(h.errorCode(), h.errorMessage());
    return new ModelHealthView.Model(
        spec.name(),
        spec.provider().wire(),
        h.status().wire(),
        spec.enabled(),
        h.latencyMs(),
        h.emaLatencyMs(),
        h.successRate(),
        h.consecutiveFailures(),
        error,
        h.quotaRemaining(),
        h.checkedAt() == null ? null : Times.format(h.checkedAt()));
  }

  private static ModelHealthView.Check check(HealthCheckRecord c) {
    return new ModelHealthView.Check(
        Times.format(c.checkedAt()),
        c.status().wire(),
        c.ok(),
        c.latencyMs(),
        c.errorCode() == null ? null : new ModelHealthView.Error(c.errorCode(), c.errorMessage()),
        c.quotaRemaining());
  }
}
