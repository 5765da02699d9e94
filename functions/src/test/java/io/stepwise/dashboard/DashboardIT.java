package io.stepwise.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.LocalServicesBase;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's files through the api Lambda handler, as API Gateway would fetch them. */
@MicronautTest(environments = {"test", "scripted"})
class DashboardIT extends LocalServicesBase {

  ApiClient api;

  @BeforeAll
  void client() {
    api = new ApiClient(context);
  }

  private static String header(Response r, String name) {
    return r.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  @Test
  void root_servesThePage_withAPolicyThatAllowsNoInlineScript() {
    Response page = api.get("/");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("<title>Stepwise</title>").contains("src=\"assets/app.js\"");
    String csp = header(page, "Content-Security-Policy");
    assertThat(csp)
        .contains("script-src 'self'")
        .contains("default-src 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(header(page, "X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void pageHasNoInlineScriptOrHandlers_soThePolicyCostsNothing() {
    String html = api.get("/").body();
    Matcher scripts = Pattern.compile("<script[^>]*>([^<]*)</script>").matcher(html);
    while (scripts.find()) {
      assertThat(scripts.group(1)).as("inline script").isBlank();
    }
    assertThat(html).doesNotContainPattern("\\son[a-z]+=");
  }

  @Test
  void assets_areServedWithTheirTypes() {
    Response js = api.get("/assets/app.js");
    Response css = api.get("/assets/app.css");

    assertThat(js.status()).isEqualTo(200);
    assertThat(js.contentType()).startsWith("text/javascript");
    assertThat(js.body()).contains("textContent").doesNotContain(".innerHTML");
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.contentType()).startsWith("text/css");
  }

  @Test
  void unknownAsset_is404Problem_andNoOtherResourceIsReachable() {
    for (String path :
        new String[] {
          "/assets/index.html",
          "/assets/..%2Fapplication.properties",
          "/assets/application.properties"
        }) {
      Response r = api.get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.contentType()).as(path).startsWith("application/problem+json");
    }
  }
}
