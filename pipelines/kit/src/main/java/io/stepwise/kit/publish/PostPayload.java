package io.stepwise.kit.publish;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A post ready to publish: every field within the platform's limits. {@code postKey} identifies it
 * for publishing.
 */
@Serdeable
public record PostPayload(
    String postKey, String title, String body, List<String> images, List<String> tags) {}
