package io.stepwise.api;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.Encoder;
import io.micronaut.serde.Serializer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;

/**
 * Writes a problem with only the extensions it has. The API's shapes show every field, null
 * included ({@code micronaut.serde.serialization.inclusion=always}), and that setting also wins
 * over {@code @JsonInclude(NON_NULL)} on {@link Problem}: every 404 said {@code "earliestStep":
 * null, "violations": null}. RFC 9457 extensions are members a problem type defines, present when
 * they say something.
 */
@Singleton
public class ProblemSerializer implements Serializer<Problem> {

  private static final Argument<List<String>> STRINGS = Argument.listOf(String.class);

  @Override
  public void serialize(
      Encoder encoder, EncoderContext context, Argument<? extends Problem> type, Problem problem)
      throws IOException {
    Encoder object = encoder.encodeObject(type);
    object.encodeKey("type");
    object.encodeString(problem.type());
    object.encodeKey("title");
    object.encodeString(problem.title());
    object.encodeKey("status");
    object.encodeInt(problem.status());
    object.encodeKey("detail");
    if (problem.detail() == null) {
      object.encodeNull();
    } else {
      object.encodeString(problem.detail());
    }
    if (problem.earliestStep() != null) {
      object.encodeKey("earliestStep");
      object.encodeString(problem.earliestStep());
    }
    if (problem.violations() != null) {
      object.encodeKey("violations");
      Encoder array = object.encodeArray(STRINGS);
      for (String violation : problem.violations()) {
        array.encodeString(violation);
      }
      array.finishStructure();
    }
    object.finishStructure();
  }
}
