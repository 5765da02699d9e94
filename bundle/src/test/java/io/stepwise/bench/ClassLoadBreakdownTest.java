package io.stepwise.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassLoadBreakdownTest {

  @TempDir Path dir;

  @Test
  void countsTheFirstClassesOfTheLog_byOriginAndPackage() throws Exception {
    Path log =
        Files.writeString(
            dir.resolve("handler.log"),
            """
            java.lang.Object source: shared objects file
            [0.012s] a line that names no class
            io.micronaut.context.DefaultBeanContext source: file:/var/task/
            io.stepwise.store.StateStore source: file:/var/task/
            io.stepwise.store.StateStore$$Lambda/0x0000000801001000 source: io.stepwise.store.StateStore
            org.yaml.snakeyaml.Yaml source: file:/var/task/
            io.stepwise.api.TasksController source: file:/var/task/
            """);

    // Five classes by the first response: the sixth came with a later request.
    ClassLoadBreakdown breakdown = ClassLoadBreakdown.read(log, 5);

    assertThat(breakdown.origins())
        .containsEntry("JDK", 1)
        .containsEntry("Micronaut", 1)
        .containsEntry("Stepwise", 2)
        .containsEntry("other", 1)
        .containsEntry("Jackson", 0);
    assertThat(breakdown.packages())
        .containsEntry("io.stepwise.store", 2)
        .doesNotContainKey("io.stepwise.api");
  }

  @Test
  void largestBeyondTheFloor_subtractsTheFloorsClassesPerPackage() {
    ClassLoadBreakdown floor =
        new ClassLoadBreakdown(Map.of(), Map.of("java.lang.invoke", 40, "java.util", 10));
    ClassLoadBreakdown handler =
        new ClassLoadBreakdown(
            Map.of(), Map.of("java.lang.invoke", 100, "java.util", 10, "io.micronaut.context", 70));

    assertThat(handler.largestBeyond(floor, 5))
        .containsExactly(Map.entry("io.micronaut.context", 70), Map.entry("java.lang.invoke", 60));
  }
}
