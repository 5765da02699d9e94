package io.stepwise.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Builds an UpdateItem expression with placeholder names for every attribute (no reserved-word
 * surprises).
 */
final class UpdateExpr {

  private final List<String> sets = new ArrayList<>();
  private final List<String> removes = new ArrayList<>();
  private final List<String> adds = new ArrayList<>();
  private final Map<String, String> names = new HashMap<>();
  private final Map<String, AttributeValue> values = new HashMap<>();
  private String condition;

  void set(String attribute, AttributeValue value) {
    String name = name(attribute);
    String placeholder = ":v" + values.size();
    values.put(placeholder, value);
    sets.add(name + " = " + placeholder);
  }

  /** Sets {@code steps.<step>}, a member of the task item's step summary map. */
  void setStep(String step, AttributeValue value) {
    String placeholder = ":v" + values.size();
    values.put(placeholder, value);
    sets.add(name("steps") + "." + name(step) + " = " + placeholder);
  }

  /** Adds a number to a numeric attribute (created at that number when absent): atomic. */
  void add(String attribute, AttributeValue number) {
    String name = name(attribute);
    String placeholder = ":v" + values.size();
    values.put(placeholder, number);
    adds.add(name + " " + placeholder);
  }

  void remove(String attribute) {
    removes.add(name(attribute));
  }

  /**
   * The condition; names written as {@code #attr} must be attributes already used or known here.
   */
  void condition(String expression, String placeholder, AttributeValue value) {
    condition(expression, Map.of(placeholder, value));
  }

  /** A condition with several value placeholders. */
  void condition(String expression, Map<String, AttributeValue> placeholders) {
    for (String word : expression.split("[^#A-Za-z0-9_]+")) {
      if (word.startsWith("#")) {
        name(word.substring(1));
      }
    }
    values.putAll(placeholders);
    this.condition = expression;
  }

  String expression() {
    String expr = "SET " + String.join(", ", sets);
    if (!adds.isEmpty()) {
      expr += " ADD " + String.join(", ", adds);
    }
    return removes.isEmpty() ? expr : expr + " REMOVE " + String.join(", ", removes);
  }

  String condition() {
    return condition;
  }

  Map<String, String> names() {
    return names;
  }

  Map<String, AttributeValue> values() {
    return values;
  }

  void applyTo(UpdateItemRequest.Builder b) {
    b.updateExpression(expression())
        .conditionExpression(condition)
        .expressionAttributeNames(names)
        .expressionAttributeValues(values);
  }

  private String name(String attribute) {
    String placeholder = "#" + attribute.replaceAll("[^A-Za-z0-9_]", "_");
    names.put(placeholder, attribute);
    return placeholder;
  }
}
