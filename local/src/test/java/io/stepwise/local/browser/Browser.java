package io.stepwise.local.browser;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real headless Chromium (Debian's {@code chromium} package) driven by Playwright for Java.
 * Playwright's own browser download is switched off: the tests use the system browser and the
 * system Node for its driver.
 *
 * <p>One Chromium and one Playwright driver per test JVM, started by the first class that asks and
 * stopped when the JVM exits: a JVM runs its classes one after another, and starting both took each
 * browser class seconds of CPU. An instance of this class is one class's share of it: every page it
 * opens has a context of its own (own cookies and storage), and {@link #close} closes those.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMIUM =
      Paths.get(System.getProperty("stepwise.chromium", "/usr/bin/chromium"));
  static final Path SCREENSHOTS =
      Paths.get(System.getProperty("stepwise.screenshots", "target/screenshots"));

  private static Playwright playwright;
  private static com.microsoft.playwright.Browser chromium;

  private final com.microsoft.playwright.Browser browser;
  private final List<BrowserContext> contexts = new ArrayList<>();

  Browser() {
    browser = chromium();
  }

  /** This JVM's Chromium: started on first use, and again if it went away. */
  private static synchronized com.microsoft.playwright.Browser chromium() {
    if (chromium != null && chromium.isConnected()) {
      return chromium;
    }
    if (playwright == null) {
      playwright =
          Playwright.create(
              new Playwright.CreateOptions()
                  .setEnv(
                      Map.of(
                          "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD",
                          "1",
                          "PLAYWRIGHT_NODEJS_PATH",
                          System.getenv()
                              .getOrDefault("PLAYWRIGHT_NODEJS_PATH", "/usr/bin/node"))));
      Playwright started = playwright;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "playwright-close"));
    }
    chromium =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync")));
    return chromium;
  }

  /** A fresh page (own cookies and storage) of the given viewport size. */
  Page page(int width, int height) {
    BrowserContext context =
        browser.newContext(new NewContextOptions().setViewportSize(width, height));
    contexts.add(context);
    return context.newPage();
  }

  /**
   * A fresh page whose uncaught errors and console errors (CSP violations, script errors) are added
   * to {@code errors}; a failed fetch the page handles ("Failed to load resource") is not one.
   */
  Page watchedPage(int width, int height, List<String> errors) {
    Page page = page(width, height);
    page.onPageError(e -> errors.add("uncaught: " + e));
    page.onConsoleMessage(
        m -> {
          if (m.type().equals("error") && !m.text().startsWith("Failed to load resource")) {
            errors.add(m.text());
          }
        });
    return page;
  }

  static void screenshot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }

  /** Closes this class's pages and their contexts; Chromium stays for the JVM's next class. */
  @Override
  public void close() {
    for (BrowserContext context : contexts) {
      context.close();
    }
    contexts.clear();
  }
}
