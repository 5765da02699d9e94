package io.stepwise.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Model providers on one port, speaking the real wire formats: OpenAI chat completions ({@code POST
 * /v1/chat/completions}, {@code GET /v1/models}, Bearer key) and Anthropic messages ({@code POST
 * /v1/messages}, {@code GET /v1/models}, {@code x-api-key}). Each model's behaviour is set at run
 * time; by default a model answers as the {@link ModelAnswers} on the class path say (each pipeline
 * answers its own prompts from their content), and a prompt none of them recognises gets a short
 * placeholder. With a required key, a wrong key gets a 401 whose message repeats the key it was
 * sent, as the worst providers do.
 *
 * <p>Real providers live on different hosts, so a model listing tells them apart; here they share
 * one port, so {@link #apiBase(String)} gives each model its own base path ({@code /m/<model>/v1})
 * under which the listing (a health probe) answers with that model's behaviour. Chat requests name
 * their model in the body anyway.
 */
public final class ModelServer extends LoopbackServer {

  private static final int PLACEHOLDER_PROMPT = 120;

  /** One request: which model, which protocol, whether it carried a key. */
  public record Call(String protocol, String model, boolean keyPresent, JsonNode body) {}

  private final Map<String, ModelBehaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> malformedServed = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> answersServed = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Answered> answered = new CopyOnWriteArrayList<>();
  private volatile String requiredKey;
  private volatile int promptRetryAfter;
  private final Map<String, Integer> failingPrompts = new ConcurrentHashMap<>();
  private final Map<String, RateLimit> rateLimits = new ConcurrentHashMap<>();
  private final Map<String, RequestShapeRules.Family> families = new ConcurrentHashMap<>();

  /**
   * The next {@code remaining} chat requests to a model are refused with 429 and this Retry-After.
   */
  private record RateLimit(AtomicInteger remaining, int retryAfterSeconds) {}

  private final AtomicInteger chatsInFlight = new AtomicInteger();
  private final AtomicInteger peakChats = new AtomicInteger();
  private final Map<String, ChosenFinishes> chosenFinishes = new ConcurrentHashMap<>();
  private final Map<String, Integer> cutPrompts = new ConcurrentHashMap<>();
  private final List<ModelAnswers> answers;

  private ModelServer(int port, List<ModelAnswers> answers) {
    super(port);
    this.answers = List.copyOf(answers);
    route("/v1/chat/completions", exchange -> counted(exchange, this::openAi));
    route("/v1/messages", exchange -> counted(exchange, this::anthropic));
    route("/v1/models", exchange -> models(exchange, query(exchange).getOrDefault("model", "")));
    route("/m/", this::perModel);
    start();
  }

  /**
   * A server answering with the {@link ModelAnswers} found on the class path (in the order of their
   * class names).
   */
  public static ModelServer start(int port) {
    List<ModelAnswers> found = new ArrayList<>();
    ServiceLoader.load(ModelAnswers.class, ModelAnswers.class.getClassLoader()).forEach(found::add);
    found.sort(Comparator.comparing(a -> a.getClass().getName()));
    return new ModelServer(port, found);
  }

  /** A server answering with these, in this order (none: every prompt gets the placeholder). */
  public static ModelServer start(int port, List<ModelAnswers> answers) {
    return new ModelServer(port, answers);
  }

  /** The answer sources this server consults, in order. */
  public List<ModelAnswers> answers() {
    return answers;
  }

  /** The base URL to configure for either provider kind: {@code http://127.0.0.1:<port>/v1}. */
  public String apiBase() {
    return baseUrl() + "/v1";
  }

  /**
   * A base URL of this server for one model ({@code http://127.0.0.1:<port>/m/<model>/v1}), as if
   * on its own host.
   */
  public String apiBase(String model) {
    return baseUrl() + "/m/" + model + "/v1";
  }

  public void behave(String model, ModelBehaviour behaviour) {
    behaviours.put(model, behaviour);
    malformedServed.remove(model);
    answersServed.remove(model);
  }

  public ModelBehaviour behaviour(String model) {
    return behaviours.getOrDefault(model, ModelBehaviour.healthy());
  }

  /** Requests without exactly this key get 401 (null: any key or none is accepted). */
  public void requireKey(String key) {
    this.requiredKey = key;
  }

  /**
   * Chat requests whose user message contains {@code text} get this error status (whatever model
   * they name), as when one paper's prompt trips a provider's limit; {@code 429} comes with {@code
   * Retry-After: retryAfter}.
   */
  public void failPromptsContaining(String text, int status, int retryAfterSeconds) {
    failingPrompts.put(text, status);
    promptRetryAfter = retryAfterSeconds;
  }

  /**
   * The next {@code times} chat requests to {@code model} get 429 with {@code Retry-After:
   * retryAfterSeconds} (in each protocol's error shape), then the model answers as its behaviour
   * says: a provider's short rate limit.
   */
  public void rateLimitNext(String model, int times, int retryAfterSeconds) {
    rateLimits.put(model, new RateLimit(new AtomicInteger(times), retryAfterSeconds));
  }

  /**
   * Holds the model's chat requests to what its family's real API accepts ({@link
   * RequestShapeRules}).
   */
  public void family(String model, RequestShapeRules.Family family) {
    families.put(model, family);
  }

  /** The most chat requests this server was answering at once since the last {@link #reset()}. */
  public int peakConcurrentChats() {
    return peakChats.get();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** One chat answer (status 200) and the usage it reported, as a provider bills it. */
  public record Answered(String model, int inputTokens, int outputTokens) {}

  /** Every chat answer since the last {@link #reset()}, with the usage each reported. */
  public List<Answered> answered() {
    return List.copyOf(answered);
  }

  /**
   * The next answers to chat requests whose instructions (the system prompt, or the first user
   * message when there is none) contain {@code text} (e.g. a phrase of one step's system prompt)
   * stop with these finish reasons, in order ({@code null}: none), whatever the model; after them
   * the model's behaviour applies again. A {@code length} answer is cut to half its text.
   */
  public void finishPromptsContaining(String text, String... reasons) {
    chosenFinishes.put(text, new ChosenFinishes(Arrays.asList(reasons), new AtomicInteger()));
  }

  /**
   * Answers to chat requests whose instructions contain {@code text} come in {@code parts} pieces:
   * each but the last stops with {@code length}, and a request continuing the conversation (one
   * more assistant turn) gets the next piece, so only a client that continues and stitches gets the
   * whole answer.
   */
  public void cutAnswersToPromptsContaining(String text, int parts) {
    cutPrompts.put(text, parts);
  }

  /** Chat requests whose body (system prompt or messages) contains this text. */
  public List<Call> callsContaining(String text) {
    return calls.stream().filter(c -> c.body().toString().contains(text)).toList();
  }

  public List<Call> calls(String model) {
    return calls.stream().filter(c -> c.model().equals(model)).toList();
  }

  public void reset() {
    behaviours.clear();
    malformedServed.clear();
    answersServed.clear();
    failingPrompts.clear();
    chosenFinishes.clear();
    cutPrompts.clear();
    rateLimits.clear();
    families.clear();
    peakChats.set(0);
    calls.clear();
    answered.clear();
  }

  private void openAi(HttpExchange exchange) throws IOException {
    JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
    String model = body.path("model").asText();
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String key = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    calls.add(new Call("openai", model, key != null, body));
    ModelBehaviour b = behaviour(model);
    if (misbehaved(exchange, b, key, "openai") || failedPrompt(exchange, body, "openai")) {
      return;
    }
    String system = "";
    for (JsonNode m : body.path("messages")) {
      if (m.path("role").asText().equals("system") || m.path("role").asText().equals("developer")) {
        system = m.path("content").asText();
      }
    }
    Answer a =
        answer(
            model,
            b,
            system,
            body.path("messages"),
            body.path(body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens")
                .asInt(Integer.MAX_VALUE),
            key);
    ObjectNode answer = JSON.createObjectNode();
    answer
        .put("id", "chatcmpl-fake")
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", model);
    ObjectNode choice = answer.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", a.text());
    if (a.finishReason() == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", a.finishReason());
    }
    answer
        .putObject("usage")
        .put("prompt_tokens", 120)
        .put("completion_tokens", 80)
        .put("total_tokens", 200);
    answered.add(new Answered(model, 120, 80));
    sendJson(exchange, 200, answer);
  }

  private void anthropic(HttpExchange exchange) throws IOException {
    JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
    String model = body.path("model").asText();
    String key = exchange.getRequestHeaders().getFirst("x-api-key");
    calls.add(new Call("anthropic", model, key != null, body));
    ModelBehaviour b = behaviour(model);
    if (exchange.getRequestHeaders().getFirst("anthropic-version") == null) {
      sendJson(
          exchange,
          400,
          anthropicError("invalid_request_error", "anthropic-version header is required"));
      return;
    }
    if (misbehaved(exchange, b, key, "anthropic") || failedPrompt(exchange, body, "anthropic")) {
      return;
    }
    Answer a =
        answer(
            model,
            b,
            body.path("system").asText(),
            body.path("messages"),
            body.path("max_tokens").asInt(Integer.MAX_VALUE),
            key);
    ObjectNode answer = JSON.createObjectNode();
    answer
        .put("id", "msg_fake")
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model);
    answer.putArray("content").addObject().put("type", "text").put("text", a.text());
    String stop =
        a.finishReason() == null
            ? null
            : switch (a.finishReason()) {
              case "stop" -> "end_turn";
              case "length" -> "max_tokens";
              case "content_filter" -> "refusal";
              default -> a.finishReason();
            };
    if (stop == null) {
      answer.putNull("stop_reason");
    } else {
      answer.put("stop_reason", stop);
    }
    answer.putObject("usage").put("input_tokens", 120).put("output_tokens", 80);
    answered.add(new Answered(model, 120, 80));
    sendJson(exchange, 200, answer);
  }

  /**
   * {@code /m/<model>/v1/<endpoint>}: the same endpoints, the listing answering as {@code <model>}.
   */
  private void perModel(HttpExchange exchange) throws IOException {
    String[] parts = exchange.getRequestURI().getPath().split("/", 5);
    String rest = parts.length == 5 && parts[3].equals("v1") ? "/" + parts[4] : "";
    switch (rest) {
      case "/chat/completions" -> counted(exchange, this::openAi);
      case "/messages" -> counted(exchange, this::anthropic);
      case "/models" -> models(exchange, parts[2]);
      default ->
          sendJson(
              exchange,
              404,
              openAiError("not_found", "no route " + exchange.getRequestURI().getPath()));
    }
  }

  /**
   * {@code GET /models}: OpenAI's list ({@code object: list, data: [{id, object: model, created,
   * owned_by}]}) or, with {@code anthropic-version}, Anthropic's page ({@code data: [{type: model,
   * id, display_name, created_at}], has_more, first_id, last_id}). Rate-limit headers come from the
   * behaviour, as on the chat endpoints.
   */
  private void models(HttpExchange exchange, String probed) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String key =
        auth != null && auth.startsWith("Bearer ")
            ? auth.substring(7)
            : exchange.getRequestHeaders().getFirst("x-api-key");
    String protocol =
        exchange.getRequestHeaders().getFirst("anthropic-version") != null ? "anthropic" : "openai";
    calls.add(new Call(protocol + "-models", probed, key != null, JSON.createObjectNode()));
    if (misbehaved(exchange, behaviour(probed), key, protocol)) {
      return;
    }
    Set<String> ids = new TreeSet<>(behaviours.keySet());
    if (!probed.isEmpty()) {
      ids.add(probed);
    }
    ObjectNode list = JSON.createObjectNode();
    ArrayNode data = list.putArray("data");
    for (String id : ids) {
      if (protocol.equals("anthropic")) {
        data.addObject()
            .put("type", "model")
            .put("id", id)
            .put("display_name", id)
            .put("created_at", "2025-01-01T00:00:00Z");
      } else {
        data.addObject()
            .put("id", id)
            .put("object", "model")
            .put("created", 1735689600L)
            .put("owned_by", "stepwise-fakes");
      }
    }
    if (protocol.equals("anthropic")) {
      list.put("has_more", false);
      list.put("first_id", ids.isEmpty() ? null : ids.iterator().next());
      list.put("last_id", ids.isEmpty() ? null : ((TreeSet<String>) ids).last());
    } else {
      list.put("object", "list");
    }
    sendJson(exchange, 200, list);
  }

  /**
   * Applies delay, hang, key check and error status; true when the request has been answered (or
   * dropped).
   */
  private boolean misbehaved(HttpExchange exchange, ModelBehaviour b, String key, String protocol)
      throws IOException {
    pause(b.delayMillis());
    if (b.hang()) {
      return true;
    }
    b.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    String echo =
        b.echoKey() && key != null ? " (key " + key + ", again: ref_" + key + "_end)" : "";
    if (!echo.isEmpty()) {
      exchange.getResponseHeaders().set("x-echo-api-key", key);
      exchange.getResponseHeaders().set("x-request-id", "req_" + key);
      exchange.getResponseHeaders().set("x-ratelimit-remaining-requests", key);
    }
    if (requiredKey != null && !requiredKey.equals(key)) {
      String message = "Incorrect API key provided: " + key;
      sendJson(
          exchange,
          401,
          protocol.equals("anthropic")
              ? anthropicError("authentication_error", message)
              : openAiError("invalid_api_key", message));
      return true;
    }
    if (b.status() != 200) {
      String message =
          (b.status() == 429 ? "Rate limit reached" : "fake provider error " + b.status()) + echo;
      String type =
          switch (b.status()) {
            case 429 -> "rate_limit_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            default -> b.status() >= 500 ? "api_error" : "invalid_request_error";
          };
      sendJson(
          exchange,
          b.status(),
          protocol.equals("anthropic")
              ? anthropicError(type, message)
              : openAiError(type, message));
      return true;
    }
    return false;
  }

  private void counted(HttpExchange exchange, HttpHandler chat) throws IOException {
    peakChats.accumulateAndGet(chatsInFlight.incrementAndGet(), Math::max);
    try {
      chat.handle(exchange);
    } finally {
      chatsInFlight.decrementAndGet();
    }
  }

  private boolean failedPrompt(HttpExchange exchange, JsonNode body, String protocol)
      throws IOException {
    var refusal =
        RequestShapeRules.refusal(
            families.getOrDefault(body.path("model").asText(), RequestShapeRules.Family.CHAT),
            protocol,
            body);
    if (refusal.isPresent()) {
      sendJson(exchange, 400, refusal.get());
      return true;
    }
    RateLimit limit = rateLimits.get(body.path("model").asText());
    if (limit != null && limit.remaining().getAndDecrement() > 0) {
      exchange.getResponseHeaders().set("Retry-After", Integer.toString(limit.retryAfterSeconds()));
      String message = "Rate limit reached; retry after " + limit.retryAfterSeconds() + " s";
      sendJson(
          exchange,
          429,
          protocol.equals("anthropic")
              ? anthropicError("rate_limit_error", message)
              : openAiError("rate_limit_error", message));
      return true;
    }
    for (JsonNode m : body.path("messages")) {
      for (Map.Entry<String, Integer> failing : failingPrompts.entrySet()) {
        if (m.path("role").asText().equals("user")
            && m.path("content").asText().contains(failing.getKey())) {
          int status = failing.getValue();
          if (status == 429) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(promptRetryAfter));
          }
          String type = status == 429 ? "rate_limit_error" : "api_error";
          String message = "fake provider error " + status + " for this prompt";
          sendJson(
              exchange,
              status,
              protocol.equals("anthropic")
                  ? anthropicError(type, message)
                  : openAiError(type, message));
          return true;
        }
      }
    }
    return false;
  }

  /** An answer's text and finish reason (OpenAI vocabulary; null for none). */
  private record Answer(String text, String finishReason) {}

  /** Finish reasons chosen for one prompt marker, and how many of them were served. */
  private record ChosenFinishes(List<String> reasons, AtomicInteger served) {}

  /** What the model answers to this conversation, by its behaviour (see {@link ModelBehaviour}). */
  private Answer answer(
      String model, ModelBehaviour b, String system, JsonNode messages, int maxTokens, String key) {
    int n = answersServed.computeIfAbsent(model, m -> new AtomicInteger()).getAndIncrement();
    String finish =
        n < b.firstFinishReasons().size() ? b.firstFinishReasons().get(n) : b.finishReason();
    if (n < b.shortAnswers()) {
      return new Answer("ok", "stop");
    }
    String lastUser = "";
    StringBuilder produced = new StringBuilder();
    List<Conversation.Turn> turns = new ArrayList<>();
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      if (role.equals("user")) {
        lastUser = m.path("content").asText();
      } else if (role.equals("assistant")) {
        produced.append(m.path("content").asText());
      }
      if (role.equals("user") || role.equals("assistant")) {
        turns.add(new Conversation.Turn(role, m.path("content").asText()));
      }
    }
    Conversation conversation = new Conversation(system, turns);
    String full = content(model, b, conversation, key);
    Answer chosen = chosenAnswer(conversation.instructions(), messages, full);
    if (chosen != null) {
      return chosen;
    }
    if (b.tokensNeeded() <= 0) {
      return new Answer(full, finish);
    }
    // A continuation request ("Continue ...") gets what the earlier parts left out; tokens scale
    // with characters.
    String rest =
        lastUser.startsWith("Continue") && full.startsWith(produced.toString())
            ? full.substring(produced.length())
            : full;
    long restTokens =
        Math.max(1, (long) Math.ceil((double) b.tokensNeeded() * rest.length() / full.length()));
    if (maxTokens < restTokens) {
      return new Answer(
          rest.substring(0, (int) (rest.length() * maxTokens / restTokens)), "length");
    }
    return new Answer(rest, finish);
  }

  /**
   * The answer set by {@link #cutAnswersToPromptsContaining} or {@link #finishPromptsContaining}
   * for these instructions, or null when neither applies.
   */
  private Answer chosenAnswer(String instructions, JsonNode messages, String full) {
    for (Map.Entry<String, Integer> cut : cutPrompts.entrySet()) {
      if (instructions.contains(cut.getKey())) {
        int piece = 0;
        for (JsonNode m : messages) {
          piece += m.path("role").asText().equals("assistant") ? 1 : 0;
        }
        int parts = cut.getValue();
        int from = full.length() * Math.min(piece, parts - 1) / parts;
        int to = piece >= parts - 1 ? full.length() : full.length() * (piece + 1) / parts;
        return new Answer(full.substring(from, to), piece >= parts - 1 ? "stop" : "length");
      }
    }
    for (Map.Entry<String, ChosenFinishes> chosen : chosenFinishes.entrySet()) {
      if (instructions.contains(chosen.getKey())) {
        int n = chosen.getValue().served().getAndIncrement();
        if (n < chosen.getValue().reasons().size()) {
          String reason = chosen.getValue().reasons().get(n);
          return new Answer(
              "length".equals(reason) ? full.substring(0, full.length() / 2) : full, reason);
        }
      }
    }
    return null;
  }

  /**
   * The whole answer to this conversation: a malformed one or the behaviour's fixed text when set,
   * else the first {@link ModelAnswers}' answer (or the placeholder), with the key repeated in it
   * when the behaviour says so.
   */
  private String content(String model, ModelBehaviour b, Conversation conversation, String key) {
    int served = malformedServed.computeIfAbsent(model, m -> new AtomicInteger()).getAndIncrement();
    if (served < b.malformedAnswers()) {
      return "Sure! Here is the post you asked for: title = maybe something";
    }
    if (b.content() != null) {
      return b.content();
    }
    String text = null;
    for (ModelAnswers source : answers) {
      text = source.answer(conversation).orElse(null);
      if (text != null) {
        break;
      }
    }
    if (text == null) {
      text = placeholder(conversation);
    }
    return b.echoKey() && key != null ? KeyEcho.into(text, key) : text;
  }

  /**
   * The answer to a prompt no {@link ModelAnswers} recognises: plain text that says so and quotes
   * the prompt.
   */
  static String placeholder(Conversation conversation) {
    String asked = conversation.prompt().strip().replaceAll("\\s+", " ");
    if (asked.length() > PLACEHOLDER_PROMPT) {
      asked = asked.substring(0, PLACEHOLDER_PROMPT) + "…";
    }
    return "This is the local model server. No local answers on its class path recognise this prompt (\""
        + asked
        + "\"), so this placeholder is all it can say.";
  }

  private static ObjectNode openAiError(String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("message", message).put("type", code).put("code", code);
    return root;
  }

  private static ObjectNode anthropicError(String type, String message) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "error");
    root.putObject("error").put("type", type).put("message", message);
    return root;
  }
}
