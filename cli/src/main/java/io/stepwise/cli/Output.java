package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.function.BiConsumer;
import picocli.CommandLine.Model.CommandSpec;

/** Prints an answer: its JSON as the API sent it with {@code --json}, else the human form. */
final class Output {

  private Output() {}

  static void print(
      CommandSpec spec, Stepwise root, Api.Answer answer, BiConsumer<PrintWriter, JsonNode> human) {
    PrintWriter out = spec.commandLine().getOut();
    if (root.json()) {
      out.println(answer.body());
    } else {
      human.accept(out, answer.json());
    }
    out.flush();
  }
}
