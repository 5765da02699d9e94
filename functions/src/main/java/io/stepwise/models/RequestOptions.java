package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a model wants its chat requests shaped ({@code stepwise.models.<name>.request.*}): which role
 * carries the system prompt, which field carries the token limit, whether {@code temperature} may
 * be sent, a {@code top_p} to send, and extra body fields sent as they are. A {@code preset} names
 * a known family's shape; the other keys override it.
 *
 * <ul>
 *   <li>{@code openai-reasoning} (o1, o3, o4-mini, gpt-5): the system prompt as a {@code developer}
 *       message, {@code max_completion_tokens}, no {@code temperature} or {@code top_p} (the API
 *       answers 400 {@code unsupported_parameter}/{@code unsupported_value} to each);
 *   <li>{@code anthropic-current} (Claude 4.5 and later): {@code temperature} or {@code top_p},
 *       never both (400 "cannot both be specified for this model");
 *   <li>{@code default}: a {@code system} message, {@code max_tokens}, {@code temperature}.
 * </ul>
 *
 * @param systemRole {@code system}, {@code developer}, or {@code none}: the system prompt folded
 *     into the first user message (for models that take no instructions role)
 */
public record RequestOptions(
    SystemRole systemRole,
    String tokenParameter,
    boolean temperature,
    @Nullable Double topP,
    Map<String, Object> extraBody,
    String preset) {

  public enum SystemRole {
    SYSTEM,
    DEVELOPER,
    NONE;

    static SystemRole parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "system-role must be system, developer or none, not '" + value + "'");
      }
    }
  }

  public static final RequestOptions DEFAULT =
      new RequestOptions(SystemRole.SYSTEM, "max_tokens", true, null, Map.of(), "default");

  public RequestOptions {
    extraBody = Map.copyOf(extraBody);
    if (!tokenParameter.equals("max_tokens") && !tokenParameter.equals("max_completion_tokens")) {
      throw new IllegalArgumentException(
          "token-parameter must be max_tokens or max_completion_tokens, not '"
              + tokenParameter
              + "'");
    }
  }

  /** The preset's options, or an error naming the presets. */
  public static RequestOptions preset(String name) {
    return switch (name) {
      case "default" -> DEFAULT;
      case "openai-reasoning" ->
          new RequestOptions(
              SystemRole.DEVELOPER, "max_completion_tokens", false, null, Map.of(), name);
      case "anthropic-current" ->
          new RequestOptions(SystemRole.SYSTEM, "max_tokens", true, null, Map.of(), name);
      default ->
          throw new IllegalArgumentException(
              "preset must be default, openai-reasoning or anthropic-current, not '" + name + "'");
    };
  }

  /**
   * The options a model's {@code request} map configures: {@code preset}, then {@code system-role},
   * {@code token-parameter}, {@code temperature} (true/false), {@code top-p} (a number) and {@code
   * extra-body} (a map) over it. A shape the preset's family refuses is a configuration error, so
   * it fails at start, not as a 400 on every call.
   */
  public static RequestOptions of(Map<String, Object> request) {
    RequestOptions base = preset(String.valueOf(request.getOrDefault("preset", "default")));
    SystemRole role =
        request.containsKey("system-role")
            ? SystemRole.parse(String.valueOf(request.get("system-role")))
            : base.systemRole();
    String tokens = String.valueOf(request.getOrDefault("token-parameter", base.tokenParameter()));
    boolean temperature =
        request.containsKey("temperature") ? bool(request.get("temperature")) : base.temperature();
    Double topP =
        request.containsKey("top-p")
            ? Double.valueOf(String.valueOf(request.get("top-p")))
            : base.topP();
    Map<String, Object> extra = new LinkedHashMap<>();
    if (request.get("extra-body") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> extra.put(String.valueOf(k), v));
    }
    RequestOptions options =
        new RequestOptions(role, tokens, temperature, topP, extra, base.preset());
    if (options.preset().equals("anthropic-current") && temperature && topP != null) {
      throw new IllegalArgumentException(
          "anthropic-current models take temperature or top-p, not both: set temperature: false to send top-p");
    }
    if (options.preset().equals("openai-reasoning") && (temperature || topP != null)) {
      throw new IllegalArgumentException("openai-reasoning models refuse temperature and top_p");
    }
    return options;
  }

  private static boolean bool(Object value) {
    String text = String.valueOf(value).trim();
    if (!text.equals("true") && !text.equals("false")) {
      throw new IllegalArgumentException("temperature must be true or false, not '" + text + "'");
    }
    return Boolean.parseBoolean(text);
  }
}
