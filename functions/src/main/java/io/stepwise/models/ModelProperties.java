package io.stepwise.models;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.util.Map;

/**
 * One configured model ({@code stepwise.models.<name>.*}). The API key is never configured here:
 * only the name of the environment variable ({@code api-key-env}) or Secrets Manager secret ({@code
 * api-key-secret}) that holds it.
 */
@EachProperty("stepwise.models")
public class ModelProperties {

  private final String name;
  private String provider = "openai-compatible";
  private String baseUrl;
  private String model;
  @Nullable private String apiKeyEnv;
  @Nullable private String apiKeySecret;
  private double weight = 1.0;
  private double costPer1kTokens;
  private boolean enabled = true;
  private String probe = ProbeKind.MODELS_LIST.wire();
  private int maxInFlight = ModelSpec.DEFAULT_MAX_IN_FLIGHT;
  private int contextWindow = PromptSize.DEFAULT_CONTEXT_WINDOW;
  private Double dailyCapUsd;
  private Map<String, Object> request = Map.of();
  private Map<String, Object> price = Map.of();

  public ModelProperties(@Parameter String name) {
    this.name = name;
  }

  public ModelSpec toSpec() {
    if (baseUrl == null || model == null) {
      throw new IllegalStateException("model " + name + " needs base-url and model");
    }
    if (!(weight > 0) || costPer1kTokens < 0) {
      throw new IllegalStateException(
          "model " + name + " needs a positive weight and a cost that is not negative");
    }
    if (maxInFlight < 1) {
      throw new IllegalStateException("model " + name + " needs a max-in-flight of at least 1");
    }
    if (dailyCapUsd != null && !(dailyCapUsd > 0)) {
      throw new IllegalStateException(
          "model " + name + " needs a daily-cap-usd above 0 when it has one, not " + dailyCapUsd);
    }
    if (contextWindow < PromptSize.MIN_CONTEXT_WINDOW) {
      throw new IllegalStateException(
          "model "
              + name
              + " needs a context-window of at least "
              + PromptSize.MIN_CONTEXT_WINDOW
              + " tokens, not "
              + contextWindow);
    }
    if (apiKeyEnv != null
        && !apiKeyEnv.isBlank()
        && apiKeySecret != null
        && !apiKeySecret.isBlank()) {
      throw new IllegalStateException(
          "model " + name + " names its key twice: set api-key-env or api-key-secret, not both");
    }
    Provider kind = Provider.parse(provider);
    return new ModelSpec(
        name,
        kind,
        baseUrl.replaceAll("/+$", ""),
        model,
        apiKeyEnv,
        weight,
        costPer1kTokens,
        enabled,
        ProbeKind.parse(probe),
        apiKeySecret,
        maxInFlight,
        requestOptions(kind));
  }

  private RequestOptions requestOptions(Provider kind) {
    RequestOptions options;
    try {
      options = RequestOptions.of(request);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("model " + name + " request: " + e.getMessage());
    }
    if (kind == Provider.ANTHROPIC
        && (options.systemRole() == RequestOptions.SystemRole.DEVELOPER
            || !options.tokenParameter().equals("max_tokens"))) {
      throw new IllegalStateException(
          "model "
              + name
              + " request: the Anthropic messages API takes the system prompt as system (or none) and max_tokens");
    }
    return options;
  }

  /** The model's prices (see {@link Price#of}); checked when the catalog is built. */
  public Price price() {
    return Price.of(name, price);
  }

  public Map<String, Object> getPrice() {
    return price;
  }

  /** {@code price.input-per-million}, {@code price.output-per-million}: USD per million tokens. */
  public void setPrice(
      @MapFormat(
              transformation = MapFormat.MapTransformation.NESTED,
              keyFormat = StringConvention.RAW)
          Map<String, Object> price) {
    this.price = price == null ? Map.of() : price;
  }

  public Map<String, Object> getRequest() {
    return request;
  }

  /** {@code request.*}: see {@link RequestOptions#of}. */
  public void setRequest(
      @MapFormat(
              transformation = MapFormat.MapTransformation.NESTED,
              keyFormat = StringConvention.RAW)
          Map<String, Object> request) {
    this.request = request == null ? Map.of() : request;
  }

  public String getName() {
    return name;
  }

  public String getProvider() {
    return provider;
  }

  public void setProvider(String provider) {
    this.provider = provider;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public String getApiKeyEnv() {
    return apiKeyEnv;
  }

  public void setApiKeyEnv(String apiKeyEnv) {
    this.apiKeyEnv = apiKeyEnv;
  }

  public String getApiKeySecret() {
    return apiKeySecret;
  }

  public void setApiKeySecret(String apiKeySecret) {
    this.apiKeySecret = apiKeySecret;
  }

  public double getWeight() {
    return weight;
  }

  public void setWeight(double weight) {
    this.weight = weight;
  }

  public double getCostPer1kTokens() {
    return costPer1kTokens;
  }

  public void setCostPer1kTokens(double costPer1kTokens) {
    this.costPer1kTokens = costPer1kTokens;
  }

  public String getProbe() {
    return probe;
  }

  public void setProbe(String probe) {
    this.probe = probe;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  public void setMaxInFlight(int maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  /**
   * The tokens the model takes in one request, prompt and answer together ({@code context-window}).
   */
  public int getContextWindow() {
    return contextWindow;
  }

  public void setContextWindow(int contextWindow) {
    this.contextWindow = contextWindow;
  }

  /**
   * What the model's calls may cost in a UTC day, all tasks together ({@code daily-cap-usd}); null:
   * no cap. Once spent, the router passes the model over until the day ends (reason {@code
   * budget}).
   */
  public Double getDailyCapUsd() {
    return dailyCapUsd;
  }

  public void setDailyCapUsd(Double dailyCapUsd) {
    this.dailyCapUsd = dailyCapUsd;
  }
}
