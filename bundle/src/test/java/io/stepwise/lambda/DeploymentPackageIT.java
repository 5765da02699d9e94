package io.stepwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The Lambda deployment package (the shaded jar) carries every pipeline and none of the local
 * runtime's fakes: no loopback server and no pipeline's local model answers (they live in each
 * pipeline's test sources and reach the local runtime only, as the 'local-answers' test-jars).
 */
class DeploymentPackageIT {

  @Test
  void theShadedJar_holdsThePipelines_butNoFakeAndNoLocalAnswers() throws Exception {
    try (JarFile jar = new JarFile(Path.of("target/stepwise-functions.jar").toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      assertThat(names)
          .contains(
              "io/stepwise/pipelines/digest/PaperDigest.class",
              "io/stepwise/pipelines/report/ResearchReport.class");
      assertThat(names)
          .noneMatch(n -> n.startsWith("io/stepwise/fakes/"))
          .noneMatch(
              n ->
                  n.startsWith("io/stepwise/pipelines/digest/local/")
                      || n.startsWith("io/stepwise/pipelines/report/local/"))
          .doesNotContain("META-INF/services/io.stepwise.fakes.ModelAnswers");
    }
  }
}
