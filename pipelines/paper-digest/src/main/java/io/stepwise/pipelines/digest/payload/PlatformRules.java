package io.stepwise.pipelines.digest.payload;

/**
 * What a target platform accepts. RedNote (小红书): title ≤ 20 characters, body ≤ 1000, 1–9 images, up
 * to 10 tags.
 */
public record PlatformRules(
    String platform, int titleMax, int bodyMax, int imagesMin, int imagesMax, int tagsMax) {

  public static final PlatformRules REDNOTE = new PlatformRules("rednote", 20, 1000, 1, 9, 10);
}
