package io.stepwise.models;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/** How one provider kind encodes a chat request and decodes the answer. */
interface WireProtocol {

  HttpRequest request(ModelSpec model, Optional<String> apiKey, ChatRequest chat, Duration timeout);

  ChatResult result(byte[] body);
}
