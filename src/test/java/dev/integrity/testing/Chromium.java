package dev.integrity.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver, as the browser tests use it: one
 * driver service on a free port, a profile in the test's directory, browser logs kept, and bounded
 * page-load and script timeouts.
 */
public final class Chromium implements AutoCloseable {
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path BINARY = Path.of("/usr/bin/chromium");

  private final ChromeDriverService service;
  private final WebDriver driver;

  private Chromium(ChromeDriverService service, WebDriver driver) {
    this.service = service;
    this.driver = driver;
  }

  /** Whether chromium and chromedriver are installed where Debian puts them. */
  public static boolean installed() {
    return Files.isExecutable(DRIVER) && Files.isExecutable(BINARY);
  }

  /** Starts a headless browser with a window of {@code width} x {@code height}. */
  public static Chromium start(Path profile, int width, int height) {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(20))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File(BINARY.toString()));
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile.toAbsolutePath());
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    WebDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(5));
    return new Chromium(service, driver);
  }

  public WebDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    driver.quit();
    service.stop();
  }
}
