package io.stepwise.models;

import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All configured models by name. */
@Singleton
public class ModelCatalog {

  private final Map<String, ModelSpec> models = new LinkedHashMap<>();
  private final Map<String, Price> prices = new LinkedHashMap<>();
  private final Map<String, Integer> contextWindows = new LinkedHashMap<>();
  private final Map<String, Double> dailyCaps = new LinkedHashMap<>();

  public ModelCatalog(List<ModelProperties> configured) {
    configured.forEach(
        p -> {
          models.put(p.getName(), p.toSpec());
          prices.put(p.getName(), p.price());
          contextWindows.put(p.getName(), p.getContextWindow());
          if (p.getDailyCapUsd() != null) {
            dailyCaps.put(p.getName(), p.getDailyCapUsd());
          }
        });
  }

  /** The model's prices; free when none are configured (or the model is not). */
  public Price price(String name) {
    return prices.getOrDefault(name, Price.FREE);
  }

  /** The tokens the model takes in one request ({@code context-window}; 128,000 unless set). */
  public int contextWindow(String name) {
    return contextWindows.getOrDefault(name, PromptSize.DEFAULT_CONTEXT_WINDOW);
  }

  /** What the model's calls may cost in a UTC day ({@code daily-cap-usd}), if capped. */
  public Optional<Double> dailyCapUsd(String name) {
    return Optional.ofNullable(dailyCaps.get(name));
  }

  public Optional<ModelSpec> find(String name) {
    return Optional.ofNullable(models.get(name));
  }

  public List<ModelSpec> all() {
    return List.copyOf(models.values());
  }
}
