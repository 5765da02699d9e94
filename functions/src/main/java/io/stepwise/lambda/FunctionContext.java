package io.stepwise.lambda;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.DefaultApplicationContext;
import io.micronaut.context.DefaultApplicationContextBuilder;
import io.micronaut.context.env.Environment;
import io.micronaut.core.io.service.MicronautMetaServiceLoaderUtils;
import io.micronaut.inject.BeanDefinitionReference;
import io.stepwise.logging.LambdaLogConfigurator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The application context a handler's no-argument constructor starts on Lambda: the environments
 * and the eager configuration checks of Micronaut's {@code LambdaApplicationContextBuilder}, but
 * singletons created on demand, and only the bean definitions the function can use.
 *
 * <p>Why: one jar holds every function, and Micronaut loads the class of every bean definition in
 * it when a context starts. Creating every singleton at start made each function pay for the
 * clients and bodies of all the others; loading the definitions of the HTTP server, router and
 * controllers made each worker function pay for the api. Leaving those out saves a worker about a
 * quarter of a second of its cold start on a 2-core machine, and the SnapStart snapshot holds only
 * what the function uses ({@code io.stepwise.bench.ColdStartBenchmark}). Tests and the local
 * runtime build their own full context and pass it to the handlers' other constructor; {@code
 * LambdaEntryPointsIT} runs every handler through this one.
 */
public final class FunctionContext {

  /** Client factories of micronaut-aws-sdk-v2 for services no function calls. */
  private static final List<String> UNUSED_AWS_CLIENTS =
      List.of(
              "cloudwatchlogs",
              "gatewaymanagement",
              "lambda",
              "servicediscovery",
              "ses",
              "sns",
              "sqs",
              "ssm")
          .stream()
          .map(service -> "io.micronaut.aws.sdk.v2.service." + service + ".")
          .toList();

  /**
   * Micronaut's HTTP client and its SSL settings: no function uses them (outbound calls go through
   * the JDK client, {@code io.stepwise.http.OutboundHttp}; AWS calls through the SDK's own).
   */
  private static final List<String> HTTP_CLIENT =
      List.of("io.micronaut.http.client.", "io.micronaut.http.ssl.");

  /** What only the api uses: HTTP server, router, API Gateway binding, controllers. */
  private static final List<String> HTTP_SERVER =
      List.of(
          "io.micronaut.http.server.",
          "io.micronaut.http.body.",
          "io.micronaut.http.resource.",
          "io.micronaut.http.bind.",
          "io.micronaut.http.util.",
          "io.micronaut.web.router.",
          "io.micronaut.servlet.",
          "io.micronaut.runtime.http.",
          "io.micronaut.function.aws.proxy.",
          "io.stepwise.api.",
          "io.stepwise.dashboard.");

  /**
   * Micronaut features a function never uses, whose bean definitions Micronaut loads anyway:
   * cloud-instance discovery and its metadata resolvers, the server heartbeat, file watching (a
   * development restart), the refresh scope, {@code @Mapper}, and the SDK's Apache and Netty HTTP
   * clients (the functions use the URL-connection client that {@code JAVA_TOOL_OPTIONS} names).
   */
  private static final List<String> UNUSED_FEATURES =
      List.of(
          "io.micronaut.discovery.",
          "io.micronaut.health.",
          "io.micronaut.scheduling.io.watch.",
          "io.micronaut.runtime.server.watch.",
          "io.micronaut.runtime.context.scope.refresh.",
          "io.micronaut.runtime.beans.",
          "io.micronaut.aws.sdk.v2.client.apache.",
          "io.micronaut.aws.sdk.v2.client.netty.");

  /**
   * What only an HTTP server needs, beyond {@link #HTTP_SERVER}: Micronaut's executors, scheduler
   * and graceful shutdown (a worker runs its own JDK pools: {@code BoundedParallel}, {@code
   * HealthSweep}), Reactor, HTTP codecs and converters, JSON message bodies, and Micronaut's
   * function registry and Lambda context binding (a worker is a plain {@code
   * RequestStreamHandler}).
   */
  private static final List<String> SERVER_SIDE =
      List.of(
          "io.micronaut.scheduling.",
          "io.micronaut.runtime.graceful.",
          "io.micronaut.reactor.",
          "io.micronaut.http.",
          "io.micronaut.json.body.",
          "io.micronaut.json.codec.",
          "io.micronaut.serde.support.bind.",
          "io.micronaut.function.");

  private FunctionContext() {}

  /**
   * A worker function's context (steps, workflow events, health check): everything but the HTTP
   * side.
   */
  public static ApplicationContext start() {
    return builder(
            concat(UNUSED_AWS_CLIENTS, UNUSED_FEATURES, HTTP_CLIENT, HTTP_SERVER, SERVER_SIDE))
        .build()
        .start();
  }

  /**
   * The api's builder: Micronaut's API Gateway function builds the context itself and takes the
   * builder from an overridable {@code newApplicationContextBuilder()}.
   */
  public static ApplicationContextBuilder builder() {
    return builder(concat(UNUSED_AWS_CLIENTS, UNUSED_FEATURES, HTTP_CLIENT));
  }

  private static ApplicationContextBuilder builder(List<String> excludedPackages) {
    // Before the builder: Micronaut reads the filter when it loads its first service. Only on
    // Lambda (or a JVM started as Lambda starts one, LambdaEntryPointsIT): the filter holds for the
    // JVM's life, and a test JVM goes on to start other, complete contexts.
    if (System.getenv(LambdaLogConfigurator.LAMBDA_MARKER) != null) {
      FilteredServices.install(excludedPackages);
    }
    return new Builder(excludedPackages)
        .environments(Environment.FUNCTION, "lambda")
        // Invalid configuration still fails the init phase, not the first request.
        .eagerInitConfiguration(true);
  }

  /**
   * Whether a bean definition class is left out: it lies in one of the packages (prefixes ending in
   * a dot).
   */
  static boolean excluded(String definitionClass, List<String> packages) {
    for (String p : packages) {
      if (definitionClass.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> list : lists) {
      all.addAll(list);
    }
    return List.copyOf(all);
  }

  private static final class Builder extends DefaultApplicationContextBuilder {
    private final List<String> excludedPackages;

    Builder(List<String> excludedPackages) {
      this.excludedPackages = excludedPackages;
    }

    @Override
    protected ApplicationContext newApplicationContext() {
      return new FilteredContext(this, excludedPackages);
    }
  }

  /**
   * Reads the bean definition references as Micronaut does (the {@code META-INF/micronaut} service
   * entries), but skips the excluded packages before loading their classes: loading is the cost.
   * The method it overrides is a documented extension point; the entry listing it calls is
   * Micronaut-internal, so a Micronaut upgrade is checked by {@code FunctionContextTest} and {@code
   * LambdaEntryPointsIT}.
   */
  private static final class FilteredContext extends DefaultApplicationContext {
    private final List<String> excludedPackages;
    private List<BeanDefinitionReference> references;

    FilteredContext(DefaultApplicationContextBuilder configuration, List<String> excludedPackages) {
      super(configuration);
      this.excludedPackages = excludedPackages;
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected List<BeanDefinitionReference> resolveBeanDefinitionReferences() {
      if (references == null) {
        references = load();
      }
      return references;
    }

    @SuppressWarnings("rawtypes")
    private List<BeanDefinitionReference> load() {
      Set<String> names;
      try {
        names =
            MicronautMetaServiceLoaderUtils.findMicronautMetaServiceEntries(
                getClassLoader(), BeanDefinitionReference.class.getName());
      } catch (IOException e) {
        throw new UncheckedIOException("bean definitions unreadable", e);
      }
      List<BeanDefinitionReference> loaded = new ArrayList<>(names.size());
      for (String name : names) {
        if (!excluded(name, excludedPackages)) {
          BeanDefinitionReference reference = instantiate(name);
          if (reference != null && reference.isPresent()) {
            loaded.add(reference);
          }
        }
      }
      return loaded;
    }

    /**
     * As Micronaut's service loader: a definition whose classes are missing from the jar is not
     * there.
     */
    @SuppressWarnings("rawtypes")
    private BeanDefinitionReference instantiate(String name) {
      try {
        Class<?> type = Class.forName(name, false, getClassLoader());
        return (BeanDefinitionReference) type.getDeclaredConstructor().newInstance();
      } catch (ClassNotFoundException | NoClassDefFoundError | NoSuchMethodException e) {
        return null;
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof NoClassDefFoundError) {
          return null; // e.g. the security binding of the API Gateway module, without
          // micronaut-security
        }
        throw new IllegalStateException(
            "bean definition " + name + " cannot be created", e.getCause());
      } catch (InstantiationException | IllegalAccessException e) {
        throw new IllegalStateException("bean definition " + name + " cannot be created", e);
      }
    }
  }
}
