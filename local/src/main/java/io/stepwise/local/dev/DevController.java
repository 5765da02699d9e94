package io.stepwise.local.dev;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.api.BadRequestException;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.fakes.ModelServer;
import io.stepwise.model.Pipelines;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelSpec;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fault injection for demos and end-to-end tests. Exists only in the {@code local} environment: the
 * Lambda deployment has neither this class's bean nor the local protocol servers it drives.
 */
@Controller("/api/dev")
@Requires(env = "local")
public class DevController {

  private final FaultInjector faults;
  private final ModelServer models;
  private final ModelCatalog catalog;
  private final Pipelines pipelines;
  private final JsonMapper json;

  public DevController(
      FaultInjector faults,
      ModelServer models,
      ModelCatalog catalog,
      Pipelines pipelines,
      JsonMapper json) {
    this.json = json;
    this.faults = faults;
    this.models = models;
    this.catalog = catalog;
    this.pipelines = pipelines;
  }

  /**
   * {@code {"step":"render_images","kind":"transient|terminal|timeout","times":1,"taskId":"..."}};
   * taskId optional.
   */
  @Serdeable
  public record StepFault(
      @Nullable String step,
      @Nullable String kind,
      @Nullable Integer times,
      @Nullable String taskId) {}

  /** How a local model server answers; every field optional. */
  @Serdeable
  public record ModelFault(
      @Nullable Integer status,
      @Nullable Long latencyMs,
      @Nullable Boolean hang,
      @Nullable String finishReason,
      @Nullable Map<String, String> headers) {}

  /**
   * The dev endpoints read their JSON body whatever its Content-Type says, so that a pasted {@code
   * curl -d '{…}'} (sent as a form) works; the strict input filter has already checked it is one
   * well-formed JSON document.
   */
  private <T> T read(@Nullable String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw new BadRequestException("a JSON body is required");
    }
    try {
      return json.readValue(body, type);
    } catch (IOException | RuntimeException e) {
      throw new BadRequestException(
          "the body does not fit " + type.getSimpleName() + ": check each field's type");
    }
  }

  @Post(value = "/faults", consumes = MediaType.ALL)
  public HttpResponse<StepFault> inject(@Nullable @Body String body) {
    StepFault fault = read(body, StepFault.class);
    List<String> known =
        pipelines.all().stream().flatMap(p -> p.stepNames().stream()).distinct().toList();
    if (!known.contains(fault.step())) {
      throw new BadRequestException(
          "unknown step '" + fault.step() + "'; steps are " + String.join(", ", known));
    }
    String step = fault.step();
    FaultInjector.Kind kind;
    try {
      kind = FaultInjector.Kind.valueOf(String.valueOf(fault.kind()).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("'kind' must be transient, terminal or timeout");
    }
    int times = fault.times() == null ? 1 : fault.times();
    if (times < 1 || times > 100) {
      throw new BadRequestException("'times' must be from 1 to 100");
    }
    if (fault.taskId() != null && fault.taskId().isBlank()) {
      throw new BadRequestException("'taskId' must name a task, or be left out for every task");
    }
    faults.inject(step, fault.taskId(), kind, times);
    return HttpResponse.accepted()
        .body(new StepFault(step, kind.name().toLowerCase(Locale.ROOT), times, fault.taskId()));
  }

  @Delete("/faults")
  public HttpResponse<Void> clear() {
    faults.clear();
    return HttpResponse.noContent();
  }

  @Put(value = "/models/{name}", consumes = MediaType.ALL)
  public HttpResponse<ModelFault> model(@PathVariable String name, @Nullable @Body String body) {
    ModelSpec spec = model(name);
    ModelFault fault = read(body, ModelFault.class);
    ModelBehaviour b = ModelBehaviour.healthy();
    if (fault.status() != null) {
      b = b.withStatus(fault.status(), fault.headers() == null ? Map.of() : fault.headers());
    }
    if (fault.latencyMs() != null) {
      b = b.withDelay(fault.latencyMs());
    }
    if (Boolean.TRUE.equals(fault.hang())) {
      b = b.hanging(fault.latencyMs() == null ? 600_000 : fault.latencyMs());
    }
    if (fault.finishReason() != null) {
      b = b.withFinishReason(fault.finishReason());
    }
    models.behave(spec.model(), b);
    return HttpResponse.ok(fault);
  }

  @Delete("/models/{name}")
  public HttpResponse<Void> resetModel(@PathVariable String name) {
    models.behave(model(name).model(), ModelBehaviour.healthy());
    return HttpResponse.noContent();
  }

  private ModelSpec model(String name) {
    return catalog
        .find(name)
        .orElseThrow(
            () ->
                new HttpStatusException(
                    HttpStatus.NOT_FOUND, "model " + name + " is not configured"));
  }
}
