package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The health API's shapes (docs/api.md). Times are ISO-8601 UTC; a never-checked model has nulls.
 */
public final class ModelHealthView {

  private ModelHealthView() {}

  /** {@code GET /api/models/health}. */
  @Serdeable
  public record Overview(@Nullable String checkedAt, long intervalSeconds, List<Model> models) {}

  /**
   * {@code POST /api/models/health/check}: the overview after the sweep, and the models it did not
   * probe because their last check is younger than the minimum gap, with when they may be probed.
   */
  @Serdeable
  public record Checked(
      @Nullable String checkedAt,
      long intervalSeconds,
      List<Model> models,
      List<NotProbed> notProbed) {}

  /** A model a check skipped: its last probe, and the earliest time a check may probe it again. */
  @Serdeable
  public record NotProbed(String name, String lastCheck, String nextProbeAt) {}

  /**
   * One model's latest state. {@code lastCheck} is when it was last probed; a disabled model
   * ({@code enabled} false) is never probed nor routed to, so its status stays {@code unknown}.
   */
  @Serdeable
  public record Model(
      String name,
      String provider,
      String status,
      boolean enabled,
      @Nullable Long latencyMs,
      @Nullable Long emaLatencyMs,
      @Nullable Double successRate,
      int consecutiveFailures,
      @Nullable Error error,
      @Nullable Long quotaRemaining,
      @Nullable String lastCheck) {}

  /** {@code GET /api/models/health/{name}}: the model plus its recent checks, newest first. */
  @Serdeable
  public record Detail(
      String name,
      String provider,
      String status,
      boolean enabled,
      @Nullable Long latencyMs,
      @Nullable Long emaLatencyMs,
      @Nullable Double successRate,
      int consecutiveFailures,
      @Nullable Error error,
      @Nullable Long quotaRemaining,
      @Nullable String lastCheck,
      List<Check> history) {}

  /**
   * A probe's error: {@code code} as in {@link io.stepwise.health.ProbeResult}, a message free of
   * secrets.
   */
  @Serdeable
  public record Error(String code, @Nullable String message) {}

  /** One history entry. */
  @Serdeable
  public record Check(
      String checkedAt,
      String status,
      boolean ok,
      long latencyMs,
      @Nullable Error error,
      @Nullable Long quotaRemaining) {}

  /**
   * {@code GET /api/models/config}: a configured model, its key masked ({@code sk-…abcd}) or null
   * when none is set.
   */
  @Serdeable
  public record Config(
      String name,
      String provider,
      String baseUrl,
      String model,
      @Nullable String apiKey,
      double weight,
      boolean enabled) {}
}
