package io.stepwise.kit.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the publisher reads of the SDK's POSTs: the SDK sends the initialized notification beside
 * the tools/call, so the notification's 202 may arrive after the call's 400 (seen under load: the
 * 400 then read as "no answer", an unknown outcome instead of a refusal).
 */
class McpResponsesTest {

  private HttpServer server;
  private URI base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          int status = Integer.parseInt(exchange.getRequestURI().getPath().substring(1));
          byte[] body =
              (status >= 400 ? "images must be https URLs" : "").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void post(HttpClient client, URI uri) throws Exception {
    client.send(
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anErrorAnswer_isNotReplacedByALaterSuccess() throws Exception {
    McpResponses responses = new McpResponses();
    HttpClient client = responses.build();

    post(client, base.resolve("400"));
    post(client, base.resolve("202"));

    assertThat(responses.last()).hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(400));
    assertThat(responses.last().orElseThrow().errorBody()).isEqualTo("images must be https URLs");
  }

  @Test
  void aSuccess_isReplacedByALaterAnswer_andForgetStartsAfresh() throws Exception {
    McpResponses responses = new McpResponses();
    HttpClient client = responses.build();

    post(client, base.resolve("200"));
    post(client, base.resolve("202"));
    assertThat(responses.last()).hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(202));

    post(client, base.resolve("404"));
    responses.forget();
    assertThat(responses.last()).isEmpty();
    post(client, base.resolve("200"));
    assertThat(responses.last()).hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(200));
  }
}
