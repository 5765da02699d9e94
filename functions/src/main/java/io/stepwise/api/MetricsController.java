package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.stepwise.metrics.MetricsService;
import io.stepwise.metrics.TaskMetrics;
import io.stepwise.metrics.Windows;

/** {@code GET /api/metrics?window=24h}. */
@Controller("/api/metrics")
public class MetricsController {

  private final MetricsService metrics;

  public MetricsController(MetricsService metrics) {
    this.metrics = metrics;
  }

  @Get
  public TaskMetrics get(@Nullable @QueryValue String window) {
    String label = window == null || window.isEmpty() ? "24h" : window;
    return metrics.over(label, Windows.parse(label)
        .orElseThrow(() -> new BadRequestException("'window' must be minutes, hours or days such as 30m, 24h or 7d, at most 30d")));
  }
}
