package io.stepwise.local;

import io.micronaut.context.env.PropertiesPropertySourceLoader;
import io.micronaut.context.env.PropertySourceReader;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The local runtime's one order of configuration, highest first: the command line (what {@link
 * Options} read from flags, and the wiring it implies: ports, endpoints, time scale), then
 * environment variables, then Java system properties ({@code -D}), then the {@code --config} file,
 * then the defaults (the runtime's local servers and models, then application.properties).
 * Micronaut on its own puts system properties above the environment and a map given to the context
 * above both, so the layers are merged here into that map.
 *
 * <p>A property {@code stepwise.publish.mcp.url} is overridden by the variable {@code
 * STEPWISE_PUBLISH_MCP_URL} (upper case, dots and dashes as underscores) and by {@code
 * -Dstepwise.publish.mcp.url=…}; only {@code stepwise.*} and {@code micronaut.*} system properties
 * are configuration (others are the JVM's).
 */
final class LocalProperties {

  private LocalProperties() {}

  /**
   * The merged properties.
   *
   * @param defaults the runtime's own defaults (its local servers); application.properties is under
   *     them
   * @param configFile the {@code --config} file's properties (empty without one)
   * @param system the JVM's system properties
   * @param environment the process environment
   * @param commandLine what the flags set
   */
  static Map<String, Object> layered(
      Map<String, Object> defaults,
      Map<String, Object> configFile,
      Map<String, String> system,
      Map<String, String> environment,
      Map<String, Object> commandLine) {
    Map<String, Object> merged = new LinkedHashMap<>(defaults);
    merged.putAll(configFile);
    system.forEach(
        (key, value) -> {
          if (key.startsWith("stepwise.") || key.startsWith("micronaut.")) {
            merged.put(key, value);
          }
        });
    for (String key : List.copyOf(merged.keySet())) {
      String variable = variableFor(key);
      if (environment.containsKey(variable)) {
        merged.put(key, environment.get(variable));
      }
    }
    merged.putAll(commandLine);
    return merged;
  }

  /**
   * The environment variable that sets a property: {@code stepwise.publish.mcp.url} → {@code
   * STEPWISE_PUBLISH_MCP_URL}.
   */
  static String variableFor(String property) {
    return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * A YAML, JSON or properties file as flat properties, read as Micronaut reads its configuration
   * files.
   */
  static Map<String, Object> read(Path file) {
    if (file == null) {
      return Map.of();
    }
    String name = file.getFileName().toString();
    PropertySourceReader reader =
        name.endsWith(".properties")
            ? new PropertiesPropertySourceLoader()
            : new YamlPropertySourceLoader();
    try (InputStream in = Files.newInputStream(file)) {
      return reader.read(name, in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --config " + file, e);
    }
  }

  /** System properties as strings. */
  static Map<String, String> system() {
    Map<String, String> p = new LinkedHashMap<>();
    System.getProperties().forEach((k, v) -> p.put(String.valueOf(k), String.valueOf(v)));
    return p;
  }
}
