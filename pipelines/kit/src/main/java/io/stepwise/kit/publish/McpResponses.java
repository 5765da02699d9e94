package io.stepwise.kit.publish;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP status, headers and (for an error) the start of the body of the last POST the MCP SDK
 * made. The SDK (0.17) reports a 400 and a 404 on a session alike, as "session not found", and an
 * error on initialize as an exception quoting JDK internals; the transport spec gives each status
 * its own meaning, so the publisher reads the status here. An {@link HttpClient.Builder} for the
 * SDK's transport, whose clients pass every call through.
 */
final class McpResponses implements HttpClient.Builder {

  /** One answer: its status, headers and, for a status of 400 and above, up to 2 KB of its body. */
  record Answer(int status, HttpHeaders headers, String errorBody) {}

  private static final int MAX_BODY = 2048;

  private final HttpClient.Builder real = HttpClient.newBuilder();
  private volatile Answer last;

  /**
   * The last POST's answer, when one came; but an error answer (400 and above) is not replaced by a
   * success that comes after it until {@link #forget}: the SDK sends notifications (initialized)
   * beside the call, and their 202 can arrive after the call's 400, which then read as "no answer".
   */
  Optional<Answer> last() {
    return Optional.ofNullable(last);
  }

  private synchronized void noteSuccess(Answer answer) {
    Answer previous = last;
    if (previous == null || previous.status() < 400) {
      last = answer;
    }
  }

  synchronized void forget() {
    last = null;
  }

  @Override
  public HttpClient build() {
    return new Recording(real.build());
  }

  @Override
  public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
    real.cookieHandler(cookieHandler);
    return this;
  }

  @Override
  public HttpClient.Builder connectTimeout(Duration duration) {
    real.connectTimeout(duration);
    return this;
  }

  @Override
  public HttpClient.Builder sslContext(SSLContext sslContext) {
    real.sslContext(sslContext);
    return this;
  }

  @Override
  public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
    real.sslParameters(sslParameters);
    return this;
  }

  @Override
  public HttpClient.Builder executor(Executor executor) {
    real.executor(executor);
    return this;
  }

  @Override
  public HttpClient.Builder followRedirects(HttpClient.Redirect policy) {
    real.followRedirects(policy);
    return this;
  }

  @Override
  public HttpClient.Builder version(HttpClient.Version version) {
    real.version(version);
    return this;
  }

  @Override
  public HttpClient.Builder priority(int priority) {
    real.priority(priority);
    return this;
  }

  @Override
  public HttpClient.Builder proxy(ProxySelector proxySelector) {
    real.proxy(proxySelector);
    return this;
  }

  @Override
  public HttpClient.Builder authenticator(Authenticator authenticator) {
    real.authenticator(authenticator);
    return this;
  }

  /** Passes every call to the real client; POST answers are noted on the way. */
  private final class Recording extends HttpClient {
    private final HttpClient client;

    Recording(HttpClient client) {
      this.client = client;
    }

    private <T> HttpResponse.BodyHandler<T> noting(
        HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      if (!request.method().equals("POST")) {
        return handler;
      }
      return info -> {
        if (info.statusCode() < 400) {
          noteSuccess(new Answer(info.statusCode(), info.headers(), ""));
          return handler.apply(info);
        }
        return new Teeing<>(handler.apply(info), info);
      };
    }

    /** Passes the body on and keeps its start, noted when it ends. */
    private final class Teeing<T> implements HttpResponse.BodySubscriber<T> {
      private final HttpResponse.BodySubscriber<T> downstream;
      private final HttpResponse.ResponseInfo info;
      private final StringBuilder kept = new StringBuilder();

      Teeing(HttpResponse.BodySubscriber<T> downstream, HttpResponse.ResponseInfo info) {
        this.downstream = downstream;
        this.info = info;
        last = new Answer(info.statusCode(), info.headers(), "");
      }

      @Override
      public CompletionStage<T> getBody() {
        return downstream.getBody();
      }

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        downstream.onSubscribe(subscription);
      }

      @Override
      public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
          if (kept.length() < MAX_BODY) {
            kept.append(StandardCharsets.UTF_8.decode(b.duplicate()));
          }
        }
        downstream.onNext(items);
      }

      @Override
      public void onError(Throwable throwable) {
        note();
        downstream.onError(throwable);
      }

      @Override
      public void onComplete() {
        note();
        downstream.onComplete();
      }

      private void note() {
        last =
            new Answer(
                info.statusCode(),
                info.headers(),
                kept.length() > MAX_BODY ? kept.substring(0, MAX_BODY) : kept.toString());
      }
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
        throws IOException, InterruptedException {
      return client.send(request, noting(request, handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      return client.sendAsync(request, noting(request, handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request,
        HttpResponse.BodyHandler<T> handler,
        HttpResponse.PushPromiseHandler<T> push) {
      return client.sendAsync(request, noting(request, handler), push);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return client.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return client.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
      return client.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return client.proxy();
    }

    @Override
    public SSLContext sslContext() {
      return client.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
      return client.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return client.authenticator();
    }

    @Override
    public Version version() {
      return client.version();
    }

    @Override
    public Optional<Executor> executor() {
      return client.executor();
    }
  }
}
