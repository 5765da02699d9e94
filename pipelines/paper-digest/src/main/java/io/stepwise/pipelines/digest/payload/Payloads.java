package io.stepwise.pipelines.digest.payload;

import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.kit.publish.PostPayload;
import java.util.List;

/** Output of build_payload: one payload per post, for one platform. */
@Serdeable
public record Payloads(String platform, List<PostPayload> posts) {}
