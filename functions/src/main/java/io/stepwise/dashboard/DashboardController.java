package io.stepwise.dashboard;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.JsonMapper;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The monitoring dashboard: three static files from the jar ({@code dashboard/}), no build step.
 * The page gets all its data from the JSON API by polling. A small controller rather than
 * Micronaut's static resources so the same route works behind API Gateway and on the local Netty
 * server, serves only the files listed here, and sends a Content-Security-Policy that allows no
 * inline script at all: even if some text slipped past the page's escaping, it could not run. When
 * the API needs a token the page signs in itself ({@link SignInConfig}).
 */
@Hidden // the page and its assets: static files, not the API
@Controller
public class DashboardController {

  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
          + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  /**
   * Where index.html carries the sign-in settings for app.js (an attribute, as no inline script may
   * run).
   */
  static final String SIGN_IN_META = "<meta name=\"stepwise-sign-in\" content=\"\">";

  private static final Map<String, String> ASSETS =
      Map.of(
          "app.js", "text/javascript; charset=utf-8",
          "app.css", "text/css; charset=utf-8");

  private final Map<String, String> files;
  private final String policy;

  public DashboardController(SignInConfig signIn, JsonMapper json) {
    // Read once at init (SnapStart-friendly): the files never change while the function runs.
    this.files =
        Map.of(
            "index.html", withSignIn(read("index.html"), signIn, json),
            "app.js", read("app.js"),
            "app.css", read("app.css"));
    // The code is exchanged for a token by a POST from the page: to the token endpoint's host, if
    // it is another.
    this.policy =
        signIn.enabled() && signIn.tokenOrigin().isPresent()
            ? CSP.replace("connect-src 'self'", "connect-src 'self' " + signIn.tokenOrigin().get())
            : CSP;
  }

  @Get(produces = MediaType.TEXT_HTML)
  public MutableHttpResponse<String> index() {
    return secured(
        HttpResponse.ok(files.get("index.html")).contentType("text/html; charset=utf-8"));
  }

  /**
   * The page with its sign-in settings as JSON in a meta tag (empty when the API needs no sign-in).
   */
  private static String withSignIn(String html, SignInConfig signIn, JsonMapper json) {
    if (!html.contains(SIGN_IN_META)) {
      throw new IllegalStateException("dashboard/index.html lacks " + SIGN_IN_META);
    }
    if (!signIn.enabled()) {
      return html;
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("authorizeUrl", signIn.authorizeUrl());
    settings.put("tokenUrl", signIn.tokenUrl());
    settings.put("clientId", signIn.clientId());
    settings.put(
        "scope", signIn.scope() == null || signIn.scope().isBlank() ? "openid" : signIn.scope());
    settings.put(
        "logoutUrl",
        signIn.logoutUrl() == null || signIn.logoutUrl().isBlank() ? null : signIn.logoutUrl());
    try {
      String attribute =
          json.writeValueAsString(settings)
              .replace("&", "&amp;")
              .replace("\"", "&quot;")
              .replace("<", "&lt;")
              .replace(">", "&gt;");
      return html.replace(
          SIGN_IN_META, "<meta name=\"stepwise-sign-in\" content=\"" + attribute + "\">");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Get("/assets/{name}")
  public MutableHttpResponse<String> asset(@PathVariable String name) {
    String type = ASSETS.get(name);
    if (type == null) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "no dashboard asset " + name);
    }
    return secured(HttpResponse.ok(files.get(name)).contentType(type));
  }

  private MutableHttpResponse<String> secured(MutableHttpResponse<String> response) {
    return response
        .header("Content-Security-Policy", policy)
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
