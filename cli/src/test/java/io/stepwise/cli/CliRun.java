package io.stepwise.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** One run of the CLI in this JVM, its output captured: what a shell would see. */
record CliRun(int exit, String out, String err) {

  static CliRun of(URI api, Map<String, String> env, boolean terminal, String... args) {
    Map<String, String> all = new HashMap<>(env);
    all.put("STEPWISE_API", api.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Stepwise.execute(
            args, all, new PrintWriter(out, true), new PrintWriter(err, true), terminal);
    return new CliRun(exit, out.toString(), err.toString());
  }

  static CliRun of(URI api, String... args) {
    return of(api, Map.of(), false, args);
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
  }
}
