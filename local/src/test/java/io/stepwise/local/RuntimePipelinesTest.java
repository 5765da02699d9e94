package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The local runtime runs the pipelines the deployment package holds. The runtime names them itself
 * instead of depending on the bundle (so the two modules build side by side); this keeps the two
 * lists the same.
 */
class RuntimePipelinesTest {

  private static final Set<String> NOT_PIPELINES =
      Set.of("stepwise-functions", "stepwise-fakes", "stepwise-sfn-local");

  @Test
  void theRuntimeInstallsEveryPipelineOfTheDeploymentPackage_andNoOther() throws Exception {
    Set<String> deployed = pipelineModules(Path.of("..", "bundle", "pom.xml"));

    assertThat(deployed).as("the bundle's pipelines").contains("stepwise-paper-digest");
    assertThat(pipelineModules(Path.of("pom.xml"))).isEqualTo(deployed);
  }

  /** The project's modules a pom depends on at compile scope, other than the core and its tools. */
  private static Set<String> pipelineModules(Path pom) throws Exception {
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(pom.toFile())
            .getDocumentElement();
    Element dependencies = (Element) project.getElementsByTagName("dependencies").item(0);
    NodeList list = dependencies.getElementsByTagName("dependency");
    Set<String> modules = new TreeSet<>();
    for (int i = 0; i < list.getLength(); i++) {
      Element d = (Element) list.item(i);
      if (d.getElementsByTagName("scope").getLength() > 0
          || d.getElementsByTagName("classifier").getLength() > 0) {
        continue;
      }
      String group = text(d, "groupId");
      String artifact = text(d, "artifactId");
      if ("io.stepwise".equals(group) && !NOT_PIPELINES.contains(artifact)) {
        modules.add(artifact);
      }
    }
    return modules;
  }

  private static String text(Element parent, String tag) {
    return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
  }
}
