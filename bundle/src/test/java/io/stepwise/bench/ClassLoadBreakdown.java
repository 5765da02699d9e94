package io.stepwise.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What one cold start loaded, by origin and by package: the first {@code classes} lines of a
 * handler JVM's {@code -Xlog:class+load} log (one line per class, in load order), {@code classes}
 * being the count the JVM reported with its first response, so the classes of the warm requests and
 * of the exit are not in it.
 *
 * @param origins classes per origin ({@link #ORIGINS}, then "other"), in that order
 * @param packages classes per package
 */
record ClassLoadBreakdown(Map<String, Integer> origins, Map<String, Integer> packages) {

  /** Origins by class-name prefix, in the order the report prints them. */
  static final Map<String, List<String>> ORIGINS = originPrefixes();

  private static Map<String, List<String>> originPrefixes() {
    Map<String, List<String>> origins = new LinkedHashMap<>();
    origins.put("JDK", List.of("java.", "javax.", "jdk.", "sun.", "com.sun."));
    origins.put("Micronaut", List.of("io.micronaut."));
    origins.put("Stepwise", List.of("io.stepwise."));
    origins.put("Jackson", List.of("com.fasterxml.jackson."));
    origins.put("AWS SDK", List.of("software.amazon.", "com.amazonaws."));
    origins.put("Jakarta", List.of("jakarta."));
    origins.put("logging", List.of("org.slf4j.", "ch.qos.logback."));
    return origins;
  }

  static final String OTHER = "other";

  static ClassLoadBreakdown read(Path log, long classes) throws IOException {
    Map<String, Integer> origins = new LinkedHashMap<>();
    ORIGINS.keySet().forEach(origin -> origins.put(origin, 0));
    origins.put(OTHER, 0);
    Map<String, Integer> packages = new TreeMap<>();
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      lines
          .filter(line -> line.contains(" source: "))
          .limit(classes)
          .map(line -> line.substring(0, line.indexOf(' ')))
          .forEach(
              name -> {
                origins.merge(origin(name), 1, Integer::sum);
                int dot = name.lastIndexOf('.');
                packages.merge(dot < 0 ? "" : name.substring(0, dot), 1, Integer::sum);
              });
    }
    return new ClassLoadBreakdown(origins, packages);
  }

  static String origin(String className) {
    for (Map.Entry<String, List<String>> origin : ORIGINS.entrySet()) {
      for (String prefix : origin.getValue()) {
        if (className.startsWith(prefix)) {
          return origin.getKey();
        }
      }
    }
    return OTHER;
  }

  /** The {@code n} packages with the most classes beyond {@code floor}'s, largest first. */
  List<Map.Entry<String, Integer>> largestBeyond(ClassLoadBreakdown floor, int n) {
    return packages.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - floor.packages.getOrDefault(e.getKey(), 0)))
        .filter(e -> e.getValue() > 0)
        .sorted(
            Comparator.comparing(Map.Entry<String, Integer>::getValue)
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .limit(n)
        .toList();
  }
}
