package io.stepwise.dashboard;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.exceptions.HttpStatusException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The monitoring dashboard: three static files from the jar ({@code dashboard/}), no build step. The page gets
 * all its data from the JSON API by polling. A small controller rather than Micronaut's static resources so the
 * same route works behind API Gateway and on the local Netty server, serves only the files listed here, and
 * sends a Content-Security-Policy that allows no inline script at all: even if some text slipped past the
 * page's escaping, it could not run.
 */
@Controller
public class DashboardController {

  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private static final Map<String, String> ASSETS = Map.of(
      "app.js", "text/javascript; charset=utf-8",
      "app.css", "text/css; charset=utf-8");

  private final Map<String, String> files;

  public DashboardController() {
    // Read once at init (SnapStart-friendly): the files never change while the function runs.
    this.files = Map.of(
        "index.html", read("index.html"),
        "app.js", read("app.js"),
        "app.css", read("app.css"));
  }

  @Get(produces = MediaType.TEXT_HTML)
  public MutableHttpResponse<String> index() {
    return secured(HttpResponse.ok(files.get("index.html")).contentType("text/html; charset=utf-8"));
  }

  @Get("/assets/{name}")
  public MutableHttpResponse<String> asset(@PathVariable String name) {
    String type = ASSETS.get(name);
    if (type == null) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "no dashboard asset " + name);
    }
    return secured(HttpResponse.ok(files.get(name)).contentType(type));
  }

  private static MutableHttpResponse<String> secured(MutableHttpResponse<String> response) {
    return response
        .header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("Cache-Control", "no-cache");
  }

  private static String read(String name) {
    try (InputStream in = DashboardController.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard/" + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
