package io.stepwise.lambda;

import io.micronaut.core.beans.BeanIntrospectionReference;
import io.micronaut.core.convert.TypeConverterRegistrar;
import io.micronaut.core.io.service.MicronautMetaServiceLoaderUtils;
import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.io.service.SoftServiceLoader.StaticDefinition;
import io.micronaut.core.optim.StaticOptimizations;
import io.micronaut.inject.BeanConfiguration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Leaves the packages a function excludes out of Micronaut's service loading too, as {@link
 * FunctionContext} leaves out their bean definitions: Micronaut loads every bean introspection
 * listed in the jar (and the class each describes), every type-converter registrar and every bean
 * configuration when a context starts. A worker has no use for the api's views, the HTTP error
 * bodies or the HTTP and Reactor converters: about 145 classes of its cold start, and the api none
 * for the HTTP client's or cloud discovery's, about 35 ({@code
 * io.stepwise.bench.ColdStartBenchmark}).
 *
 * <p>Installed through Micronaut's static optimizations, the hook through which Micronaut AOT's
 * generated service loaders replace the jar scan; Micronaut reads them once per JVM, before it
 * loads its first service, and keeps them for the JVM's life: a Lambda JVM runs one function, so
 * {@link FunctionContext} installs them only there (a test JVM goes on to start complete contexts).
 * In a JVM where Micronaut has already loaded a service, nothing is installed and every service
 * loads as usual.
 */
final class FilteredServices implements SoftServiceLoader.StaticServiceLoader<Object> {

  /** The service types filtered: the ones a context start loads in full. */
  private static final List<Class<?>> TYPES =
      List.of(
          BeanIntrospectionReference.class, TypeConverterRegistrar.class, BeanConfiguration.class);

  private final String serviceType;
  private final List<String> excludedPackages;

  FilteredServices(String serviceType, List<String> excludedPackages) {
    this.serviceType = serviceType;
    this.excludedPackages = excludedPackages;
  }

  /** Filters the service types of {@link #TYPES} in this JVM, unless Micronaut has read them. */
  static boolean install(List<String> excludedPackages) {
    Map<String, SoftServiceLoader.StaticServiceLoader<?>> loaders = new HashMap<>();
    for (Class<?> type : TYPES) {
      loaders.put(type.getName(), new FilteredServices(type.getName(), excludedPackages));
    }
    try {
      StaticOptimizations.set(new SoftServiceLoader.Optimizations(loaders));
      return true;
    } catch (IllegalStateException alreadyRead) {
      return false;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Stream<StaticDefinition<Object>> findAll(Predicate<String> condition) {
    ClassLoader loader = FilteredServices.class.getClassLoader();
    List<StaticDefinition<Object>> found = new ArrayList<>();
    for (String name : entries(loader)) {
      if (condition.test(name) && !FunctionContext.excluded(name, excludedPackages)) {
        Class<?> type = load(loader, name);
        if (type != null) {
          found.add(StaticDefinition.of(name, (Class<Object>) type));
        }
      }
    }
    return found.stream();
  }

  /**
   * Where Micronaut's own loader looks: the {@code META-INF/micronaut} entries and the {@code
   * META-INF/services} files of the type.
   */
  private Set<String> entries(ClassLoader loader) {
    try {
      Set<String> names =
          new LinkedHashSet<>(
              MicronautMetaServiceLoaderUtils.findMicronautMetaServiceEntries(loader, serviceType));
      for (URL file : Collections.list(loader.getResources("META-INF/services/" + serviceType))) {
        try (BufferedReader lines =
            new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = lines.readLine()) != null; ) {
            int comment = line.indexOf('#');
            String name = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (!name.isEmpty()) {
              names.add(name);
            }
          }
        }
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(serviceType + " services unreadable", e);
    }
  }

  /** As Micronaut's loader: a service whose classes are missing from the jar is not there. */
  private static Class<?> load(ClassLoader loader, String name) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      return null;
    }
  }
}
