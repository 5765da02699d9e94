package io.stepwise.store;

import io.stepwise.model.Times;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small helpers to build and read DynamoDB attribute maps without null checks everywhere. */
final class Attrs {

  private final Map<String, AttributeValue> map = new HashMap<>();

  static Attrs of() {
    return new Attrs();
  }

  Attrs s(String name, String value) {
    if (value != null) {
      map.put(name, AttributeValue.fromS(value));
    }
    return this;
  }

  Attrs n(String name, Number value) {
    if (value != null) {
      map.put(name, AttributeValue.fromN(value.toString()));
    }
    return this;
  }

  Attrs time(String name, Instant value) {
    return value == null ? this : s(name, Times.format(value));
  }

  Attrs epoch(String name, Instant value) {
    return value == null ? this : n(name, value.getEpochSecond());
  }

  Attrs b(String name, byte[] value) {
    if (value != null) {
      map.put(name, AttributeValue.fromB(SdkBytes.fromByteArray(value)));
    }
    return this;
  }

  Attrs put(String name, AttributeValue value) {
    if (value != null) {
      map.put(name, value);
    }
    return this;
  }

  Attrs putAll(Map<String, AttributeValue> values) {
    map.putAll(values);
    return this;
  }

  Map<String, AttributeValue> build() {
    return Map.copyOf(map);
  }

  AttributeValue asMap() {
    return AttributeValue.fromM(build());
  }

  static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  static long num(Map<String, AttributeValue> item, String name, long fallback) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? fallback : Long.parseLong(v.n());
  }

  static Long numOrNull(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? null : Long.parseLong(v.n());
  }

  static Instant time(Map<String, AttributeValue> item, String name) {
    String s = str(item, name);
    return s == null ? null : Times.parse(s);
  }

  static Instant epoch(Map<String, AttributeValue> item, String name) {
    Long n = numOrNull(item, name);
    return n == null ? null : Instant.ofEpochSecond(n);
  }

  static Optional<Map<String, AttributeValue>> map(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || !v.hasM() ? Optional.empty() : Optional.of(v.m());
  }
}
