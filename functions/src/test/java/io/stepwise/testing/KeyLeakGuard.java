package io.stepwise.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (JUnit extension auto-detection, see junit-platform.properties): after
 * each test, and after each class for what its setup logged, scans the log lines and API responses
 * captured meanwhile for the configured test keys, and fails naming where one appeared.
 */
public class KeyLeakGuard implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    check("before " + context.getDisplayName());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check(context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check("after " + context.getDisplayName());
  }

  private static void check(String during) {
    List<String> leaks = LeakScan.drainLeaks();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "API key leaked during " + during + ":\n  " + String.join("\n  ", leaks));
    }
  }
}
