package io.stepwise.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** What logback.xml (the local runtime's console) prints for a library's recovered failure. */
class LibraryLinesTest {

  @Test
  void aLibrarysFailure_isOneLineWithItsRootCause_ourOwnKeepsItsTrace() throws Exception {
    List<String> lines =
        printed(
                context -> {
                  RuntimeException reset =
                      new RuntimeException(
                          "Error sending message", new IOException("Connection reset\nby peer"));
                  context
                      .getLogger("io.modelcontextprotocol.client.transport.X")
                      .error("Error sending message", reset);
                  context.getLogger("reactor.core.publisher.Operators").warn("dropped");
                  context.getLogger("io.modelcontextprotocol.client.X").info("session chatter");
                  context
                      .getLogger("io.stepwise.tasks.TaskService")
                      .warn("ours", new IllegalStateException("boom"));
                })
            .lines()
            .toList();

    assertThat(lines.get(0))
        .endsWith("- Error sending message (IOException: Connection reset)")
        .contains("ERROR");
    assertThat(lines.get(1)).endsWith("- dropped");
    assertThat(lines.get(2)).endsWith("- ours");
    assertThat(lines.get(3)).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(lines.subList(4, lines.size())).allMatch(l -> l.startsWith("\tat "));
  }

  interface Logging {
    void run(LoggerContext context);
  }

  private static String printed(Logging block) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      LoggerContext context = new LoggerContext();
      context.setMDCAdapter(MDC.getMDCAdapter());
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      URL config = LibraryLinesTest.class.getClassLoader().getResource("logback.xml");
      configurator.doConfigure(config);
      block.run(context);
      context.stop();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
