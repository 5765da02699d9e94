package io.stepwise.testing.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import io.micronaut.json.JsonMapper;
import io.stepwise.api.OpenApiDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds every request and response the API tests exchange to the OpenAPI document the build
 * generated (as {@link OpenApiDocument} serves it), with networknt's JSON Schema validator in its
 * OpenAPI 3.1 dialect (the version the MCP SDK already brings). The test clients call {@link
 * #check} once per exchange, so a controller that drifts from its documented shapes fails whichever
 * test touches it.
 *
 * <p>Rules: a response must match the schema documented for its status (or its range, {@code 4XX},
 * or {@code default}) and media type; a request body is checked only when the API accepted it (a
 * test of bad input sends invalid bodies on purpose); a 2xx on an {@code /api} route the document
 * does not list is a failure, an error on an unknown route (404, 405) is Micronaut's.
 */
public final class ApiContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEXT =
      new String(OpenApiDocument.load(JsonMapper.createDefault()), StandardCharsets.UTF_8);
  private static final JsonNode DOC = load();

  /**
   * Where the validator finds the document: an IRI of ours, mapped to the text, so nothing is
   * fetched.
   */
  private static final String IRI = "https://stepwise.invalid/openapi.json";

  private static final JsonSchemaFactory SCHEMAS =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          b ->
              b.metaSchema(OpenApi31.getInstance())
                  .defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                  .schemaLoaders(loaders -> loaders.schemas(Map.of(IRI, TEXT))));
  private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();
  private static final Pattern PARAMETER = Pattern.compile("\\{[^}/]+}");
  private static final AtomicInteger REQUESTS = new AtomicInteger();
  private static final AtomicInteger RESPONSES = new AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ApiContract::writeSummary));
  }

  private ApiContract() {}

  /**
   * One exchange; throws {@link AssertionError} naming the mismatch. Content types may carry
   * parameters.
   */
  public static void check(
      String method,
      String pathAndQuery,
      String requestType,
      String requestBody,
      int status,
      String responseType,
      String responseBody) {
    String path =
        pathAndQuery.contains("?")
            ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
            : pathAndQuery;
    if (!path.startsWith("/api/") || path.startsWith("/api/dev/")) {
      return; // the dashboard's static files; the local runtime's own dev routes (tokens, faults),
      // not deployed
    }
    String where = method + " " + path + " -> " + status;
    Optional<String> template = template(path);
    JsonNode operation =
        template.map(t -> DOC.path("paths").path(t).path(method.toLowerCase())).orElse(null);
    if (operation == null || operation.isMissingNode()) {
      if (status < 300) {
        throw new AssertionError(
            where + ": the API answered a route the OpenAPI document does not list");
      }
      return;
    }
    String pointer = "/paths/" + escape(template.get()) + "/" + method.toLowerCase();
    if (status < 300 && requestBody != null && !requestBody.isBlank()) {
      JsonNode content = operation.path("requestBody").path("content");
      String type = mediaType(requestType);
      if (!content.has(type)) {
        throw new AssertionError(
            where
                + ": the document gives this operation no "
                + type
                + " request body, yet the API accepted one");
      }
      validate(
          where + " request",
          pointer + "/requestBody/content/" + escape(type) + "/schema",
          requestBody);
      REQUESTS.incrementAndGet();
    }
    String code = String.valueOf(status);
    JsonNode responses = operation.path("responses");
    if (!responses.has(code)) {
      code = responses.has(code.charAt(0) + "XX") ? code.charAt(0) + "XX" : "default";
      if (!responses.has(code)) {
        throw new AssertionError(
            where + ": status not documented (documented: " + names(responses) + ")");
      }
    }
    JsonNode content = responses.path(code).path("content");
    if (responseBody == null || responseBody.isEmpty()) {
      if (status != 304 && status != 302 && content.size() > 0 && !content.has("*/*")) {
        throw new AssertionError(where + ": empty body, the document promises " + names(content));
      }
      RESPONSES.incrementAndGet();
      return;
    }
    String type = mediaType(responseType);
    if (!content.has(type)) {
      throw new AssertionError(
          where
              + ": response type "
              + type
              + " not documented (documented: "
              + names(content)
              + ")");
    }
    if (type.endsWith("json")) {
      validate(
          where + " response",
          pointer + "/responses/" + code + "/content/" + escape(type) + "/schema",
          responseBody);
    }
    RESPONSES.incrementAndGet();
  }

  /** The exchanges checked so far in this JVM: requests, responses. */
  public static int[] counts() {
    return new int[] {REQUESTS.get(), RESPONSES.get()};
  }

  private static void validate(String where, String pointer, String body) {
    JsonSchema schema =
        COMPILED.computeIfAbsent(pointer, p -> SCHEMAS.getSchema(SchemaLocation.of(IRI + "#" + p)));
    Set<ValidationMessage> errors = schema.validate(body, InputFormat.JSON);
    if (!errors.isEmpty()) {
      throw new AssertionError(
          where
              + " does not match the OpenAPI document at "
              + pointer
              + ": "
              + errors
              + "\nbody: "
              + (body.length() > 2000 ? body.substring(0, 2000) + "..." : body));
    }
  }

  /** The document's path template for a concrete path; literal segments win over parameters. */
  static Optional<String> template(String path) {
    Iterator<String> names = DOC.path("paths").fieldNames();
    String best = null;
    while (names.hasNext()) {
      String candidate = names.next();
      StringBuilder regex = new StringBuilder();
      Matcher param = PARAMETER.matcher(candidate);
      int literal = 0;
      while (param.find()) {
        regex.append(Pattern.quote(candidate.substring(literal, param.start()))).append("[^/]+");
        literal = param.end();
      }
      regex.append(Pattern.quote(candidate.substring(literal)));
      if (path.matches(regex.toString()) && (best == null || params(candidate) < params(best))) {
        best = candidate;
      }
    }
    return Optional.ofNullable(best);
  }

  private static long params(String template) {
    return template.chars().filter(c -> c == '{').count();
  }

  private static String mediaType(String contentType) {
    return contentType == null || contentType.isBlank()
        ? "application/json"
        : contentType.split(";")[0].trim().toLowerCase();
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static String names(JsonNode node) {
    List<String> list = new ArrayList<>();
    node.fieldNames().forEachRemaining(list::add);
    list.sort(Comparator.naturalOrder());
    return String.join(", ", list);
  }

  private static JsonNode load() {
    try {
      return JSON.readTree(TEXT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeSummary() {
    if (REQUESTS.get() + RESPONSES.get() == 0) {
      return;
    }
    String line =
        "api contract: "
            + REQUESTS.get()
            + " request bodies and "
            + RESPONSES.get()
            + " responses validated\n";
    System.out.print(line);
    try {
      Files.writeString(
          Path.of("target", "api-contract-" + ProcessHandle.current().pid() + ".txt"), line);
    } catch (IOException e) {
      // the summary is a convenience; the checks already ran
    }
  }
}
