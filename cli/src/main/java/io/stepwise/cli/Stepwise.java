package io.stepwise.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code stepwise}: the command line client of a Stepwise API ({@code --api}, env {@code
 * STEPWISE_API}, default http://localhost:8080; bearer token from env {@code STEPWISE_TOKEN}).
 * Human output by default, the API's JSON as is with {@code --json}.
 */
@Command(
    name = "stepwise",
    mixinStandardHelpOptions = true,
    version = "stepwise 0.1.0",
    description = "Start, watch and recover Stepwise tasks through any Stepwise API.",
    subcommands = {
      StartCommand.class,
      GetCommand.class,
      ListCommand.class,
      WatchCommand.class,
      RetryCommand.class,
      CancelCommand.class,
      ReviewCommand.class,
      EditCommand.class,
      BatchCommand.class,
      HealthCommand.class,
      UsageCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  done (watch: the task succeeded)",
      "  1  watch: the task failed",
      "  2  wrong usage",
      "  3  the API refused the request (a 4xx problem, printed in one line)",
      "  4  the API failed (5xx) or could not be reached",
      "  5  watch: the task was cancelled",
      "  6  watch: the task was rejected by its reviewer",
      "%nEnvironment: STEPWISE_API (the API's base URL), STEPWISE_TOKEN (a bearer token; never printed)."
    })
public final class Stepwise implements Runnable {

  static final int EXIT_FAILED = 1;
  static final int EXIT_REFUSED = 3;
  static final int EXIT_UNAVAILABLE = 4;
  static final int EXIT_CANCELLED = 5;
  static final int EXIT_REJECTED = 6;

  @Option(
      names = "--api",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "the Stepwise API's base URL (default: env STEPWISE_API, else http://localhost:8080)")
  String api;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "print the API's JSON as is (for scripts)")
  boolean json;

  private final Map<String, String> env;
  private final boolean terminal;
  private Api client;

  Stepwise(Map<String, String> env, boolean terminal) {
    this.env = env;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    System.exit(
        execute(
            args,
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true),
            System.console() != null));
  }

  /**
   * Runs one command line; the exit code. {@code terminal}: stdout is a terminal (watch redraws in
   * place).
   */
  static int execute(
      String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, boolean terminal) {
    CommandLine cli = new CommandLine(new Stepwise(env, terminal));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (e instanceof ApiProblem problem) {
            line.getErr().println("stepwise: " + problem.getMessage());
            problem.violations().forEach(v -> line.getErr().println("  - " + v));
            line.getErr().flush();
            return problem.exitCode();
          }
          throw e;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command (stepwise --help lists them)");
  }

  Api client() {
    if (client == null) {
      String base = api != null ? api : env.getOrDefault("STEPWISE_API", "http://localhost:8080");
      client = new Api(base, env.get("STEPWISE_TOKEN"));
    }
    return client;
  }

  boolean json() {
    return json;
  }

  boolean terminal() {
    return terminal;
  }
}
