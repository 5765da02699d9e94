package io.stepwise.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The parts of a chat request's shape both protocols share ({@link RequestOptions}). */
final class RequestShapes {

  private RequestShapes() {}

  /** The conversation; with no system role, the system prompt leads the first user message. */
  static List<ChatRequest.Message> folded(ChatRequest chat, RequestOptions shape) {
    List<ChatRequest.Message> messages = new ArrayList<>(chat.messages());
    if (shape.systemRole() == RequestOptions.SystemRole.NONE && !chat.system().isBlank()) {
      int first = 0;
      while (first < messages.size() && !messages.get(first).role().equals("user")) {
        first++;
      }
      if (first < messages.size()) {
        messages.set(
            first,
            new ChatRequest.Message(
                "user", chat.system() + "\n\n" + messages.get(first).content()));
      } else {
        messages.add(0, new ChatRequest.Message("user", chat.system()));
      }
    }
    return messages;
  }

  /**
   * The token limit under the model's field name, the sampling fields it accepts, then the extra
   * fields (which never replace a field set here: the model, the messages and the limit are ours to
   * say).
   */
  static void limits(Map<String, Object> body, ChatRequest chat, RequestOptions shape) {
    body.put(shape.tokenParameter(), chat.maxTokens());
    if (shape.temperature()) {
      body.put("temperature", chat.temperature());
    }
    if (shape.topP() != null) {
      body.put("top_p", shape.topP());
    }
    shape.extraBody().forEach(body::putIfAbsent);
  }
}
