package io.stepwise.models;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.stepwise.http.KnownSecrets;
import io.stepwise.http.OutboundHttp;
import io.stepwise.http.Redaction;
import io.stepwise.model.Usage;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.usage.BudgetLedger;
import io.stepwise.usage.ModelCallRecord;
import io.stepwise.usage.ModelUsageStore;
import io.stepwise.usage.UsageScope;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sends one chat request to one model over its provider's protocol, logs the call and adds what it
 * cost to the {@link UsageScope} it was made in (at the model's {@link Price}). HTTP failures
 * follow {@link OutboundHttp}; what the finish reason means is {@link ChatTactics}' business.
 *
 * <p>This is the boundary for model answers: the answer's text and the error body of a failed call
 * are masked of every configured secret ({@link KnownSecrets}) here, before any caller stores, logs
 * or returns them, so a provider that repeats the key it was sent cannot get it into a checkpoint,
 * an item record or a log line.
 */
@Singleton
public class ModelGateway implements ChatCall {

  private static final Logger LOG = LoggerFactory.getLogger(ModelGateway.class);

  private final OutboundHttp http;
  private final ApiKeys keys;
  private final KnownSecrets secrets;
  private final ModelCallLog log;
  private final Duration timeout;
  private final Map<Provider, WireProtocol> protocols;
  private final ModelLoad load;
  private final ModelCatalog catalog;
  private final ModelUsageStore usageStore;
  private final Clock clock;
  private final BudgetLedger budgets;

  /** How a budget refusal's message starts (the step error type stays terminal, see below). */
  public static final String BUDGET_EXCEEDED = "BudgetExceeded";

  /** How a request too large for the model's context window is refused (unsent). */
  public static final String CONTEXT_WINDOW = "ContextWindowExceeded";

  public ModelGateway(
      ApiKeys keys,
      KnownSecrets secrets,
      ModelCallLog log,
      JsonMapper json,
      ModelLoad load,
      ModelCatalog catalog,
      ModelUsageStore usageStore,
      BudgetLedger budgets,
      Clock clock,
      @Value("${stepwise.routing.timeout:60s}") Duration timeout) {
    this.load = load;
    this.catalog = catalog;
    this.usageStore = usageStore;
    this.budgets = budgets;
    this.clock = clock;
    this.http = new OutboundHttp(Duration.ofSeconds(10));
    this.keys = keys;
    this.secrets = secrets;
    this.log = log;
    this.timeout = timeout;
    this.protocols =
        Map.of(
            Provider.OPENAI_COMPATIBLE,
            new OpenAiProtocol(json),
            Provider.ANTHROPIC,
            new AnthropicProtocol(json));
  }

  /** A first attempt (see {@link #chat(ModelSpec, ChatRequest, Attempt)}). */
  public ChatResult chat(ModelSpec model, ChatRequest request, String taskId, String step) {
    return chat(model, request, Attempt.first(taskId, step));
  }

  /**
   * One call, holding one of the model's {@link ModelLoad} slots while it runs (waiting at most the
   * call timeout for one). The answer's duration and remaining-requests header go to {@link
   * ModelLoad}.
   */
  @Override
  public ChatResult chat(ModelSpec model, ChatRequest request, Attempt attempt) {
    WireProtocol protocol = protocols.get(model.provider());
    fits(model, request);
    Optional<UsageScope.Budget> budget = UsageScope.budget();
    BigDecimal reserved = budget.map(b -> reserve(b, model, request)).orElse(BigDecimal.ZERO);
    BigDecimal actual = BigDecimal.ZERO;
    try {
      ChatResult answer = send(model, request, attempt, protocol);
      actual = cost(answer, model);
      return answer;
    } finally {
      if (budget.isPresent()) {
        settle(budget.get().taskId(), reserved, actual);
      }
    }
  }

  /**
   * Refuses, unsent, a request whose prompt (estimated, {@link PromptSize}) and answer do not fit
   * the model's context window: a terminal error whose message starts with {@link #CONTEXT_WINDOW},
   * never the provider's 400.
   */
  private void fits(ModelSpec model, ChatRequest request) {
    int window = catalog.contextWindow(model.name());
    int prompt = PromptSize.estimate(request);
    if (prompt + request.maxTokens() > window) {
      throw new TerminalStepException(
          CONTEXT_WINDOW
              + ": the prompt (about "
              + prompt
              + " tokens) and max_tokens "
              + request.maxTokens()
              + " do not fit the context window of "
              + model.name()
              + " ("
              + window
              + " tokens); nothing was sent");
    }
  }

  /**
   * Settles a reservation without ever costing the answer: a failed settle (DynamoDB throttled,
   * say) is logged and the reservation stays held, so the task may be refused a call sooner, but
   * never overspends, and the step does not fail and pay for this call again.
   */
  private void settle(String taskId, BigDecimal reserved, BigDecimal actual) {
    try {
      budgets.settle(taskId, reserved, actual);
    } catch (RuntimeException e) {
      LOG.warn(
          "budget of task {} not settled: ${} stays reserved for a call that cost ${}: {}",
          taskId,
          reserved.toPlainString(),
          actual.toPlainString(),
          e.toString());
    }
  }

  /**
   * Reserves the call's worst case against the task's budget, or refuses it unsent: a terminal
   * error whose message starts with {@link #BUDGET_EXCEEDED} (the state machine knows the step
   * error types by name, so the refusal is told by its wording, as a content refusal is) and names
   * what is spent, what is reserved and the budget.
   */
  private BigDecimal reserve(UsageScope.Budget budget, ModelSpec model, ChatRequest request) {
    BigDecimal worst = worstCase(catalog.price(model.name()), request);
    if (budgets.reserve(budget.taskId(), worst, budget.budgetUsd())) {
      return worst;
    }
    BudgetLedger.Spend spend = budgets.spend(budget.taskId());
    throw new TerminalStepException(
        BUDGET_EXCEEDED
            + ": a call to "
            + model.name()
            + " may cost up to $"
            + worst.toPlainString()
            + ", more than the budget has left: spent $"
            + spend.spentUsd().stripTrailingZeros().toPlainString()
            + ", reserved $"
            + spend.reservedUsd().stripTrailingZeros().toPlainString()
            + " of budgetUsd $"
            + budget.budgetUsd().stripTrailingZeros().toPlainString()
            + "; not sent");
  }

  /**
   * The most a call can cost: every prompt byte a token (a token is at least one byte, so the
   * prompt cannot be more; a few tokens a message for the roles) and every {@code max_tokens} used.
   */
  static BigDecimal worstCase(Price price, ChatRequest request) {
    long prompt = 16 + utf8(request.system());
    for (ChatRequest.Message m : request.messages()) {
      prompt += 8 + utf8(m.content());
    }
    BigDecimal usd =
        BigDecimal.valueOf(prompt)
            .multiply(BigDecimal.valueOf(price.inputPerMillion()))
            .add(
                BigDecimal.valueOf(request.maxTokens())
                    .multiply(BigDecimal.valueOf(price.outputPerMillion())))
            .divide(BigDecimal.valueOf(1_000_000));
    return usd.setScale(9, RoundingMode.UP);
  }

  private static long utf8(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  private BigDecimal cost(ChatResult answer, ModelSpec model) {
    return BigDecimal.valueOf(
            catalog
                .price(model.name())
                .usage(answer.promptTokens(), answer.completionTokens(), answer.estimated())
                .costUsd())
        .setScale(9, RoundingMode.HALF_UP);
  }

  private ChatResult send(
      ModelSpec model, ChatRequest request, Attempt attempt, WireProtocol protocol) {
    long started = System.nanoTime();
    ChatResult result = null;
    Duration timeout = request.timeout() == null ? this.timeout : request.timeout();
    try (ModelLoad.Slot slot = load.acquire(model, timeout)) {
      // Inside the try: a key that cannot be read (Secrets Manager) is a failed call of this model,
      // logged as one.
      Optional<String> key = keys.keyFor(model);
      List<String> redact = secrets.all(key.map(List::of).orElse(List.of()));
      long sent = System.nanoTime();
      HttpResponse<byte[]> response =
          http.send(
              protocol.request(model, key, request, timeout),
              model.name() + " (" + model.provider().wire() + ")",
              redact);
      load.observe(model, elapsed(sent), remainingRequests(response));
      result = counted(redacted(protocol.result(response.body()), redact), request);
      Usage usage =
          catalog
              .price(model.name())
              .usage(result.promptTokens(), result.completionTokens(), result.estimated());
      // Paid for once answered, whatever the answer is worth to the step.
      UsageScope.record(usage);
      String outcome =
          "stop".equals(result.finishReason()) ? "ok" : "finish_" + result.finishReason();
      log.record(
          new ModelCallLog.Call(attempt, model, elapsed(started), result, outcome, null, usage));
      count(model, elapsed(started), usage, null);
      return result;
    } catch (StepException e) {
      log.record(
          new ModelCallLog.Call(
              attempt, model, elapsed(started), result, e.type(), e.getMessage(), null));
      count(model, elapsed(started), null, e.type());
      throw e;
    }
  }

  /**
   * Adds the call to the model's usage statistics. They are figures, not the step's state: a table
   * that cannot take them now costs the figures one call, never the call its answer.
   */
  private void count(ModelSpec model, long latencyMs, Usage usage, String failureKind) {
    try {
      usageStore.record(
          new ModelCallRecord(
              model.name(), UsageScope.pipeline(), clock.instant(), latencyMs, usage, failureKind));
    } catch (SdkException e) {
      LOG.warn("model usage not counted model={} error={}", model.name(), e.getMessage());
    }
  }

  /**
   * The provider's remaining-requests figure, read only as a number (a header repeating a key is
   * ignored).
   */
  static OptionalLong remainingRequests(HttpResponse<?> response) {
    for (String header :
        List.of("x-ratelimit-remaining-requests", "anthropic-ratelimit-requests-remaining")) {
      Optional<String> value = response.headers().firstValue(header);
      if (value.isPresent()) {
        try {
          return OptionalLong.of(Long.parseLong(value.get().trim()));
        } catch (NumberFormatException notANumber) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  /**
   * The answer with token counts: the provider's, or estimated from the prompt and the answer (and
   * flagged) when it reported none.
   */
  static ChatResult counted(ChatResult result, ChatRequest request) {
    if (result.promptTokens() > 0 || result.completionTokens() > 0) {
      return result;
    }
    return new ChatResult(
        result.content(),
        result.finishReason(),
        TokenEstimate.of(request),
        TokenEstimate.of(result.content()),
        true);
  }

  /** The decoded answer, so that keys written with JSON escapes are masked too. */
  private static ChatResult redacted(ChatResult result, List<String> redact) {
    return new ChatResult(
        Redaction.redact(result.content(), redact),
        Redaction.redact(result.finishReason(), redact),
        result.promptTokens(),
        result.completionTokens());
  }

  private static long elapsed(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
