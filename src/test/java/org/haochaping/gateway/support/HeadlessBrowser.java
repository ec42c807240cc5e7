package org.haochaping.gateway.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.haochaping.gateway.Json;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol with nothing but the JDK
 * ({@code java.net.http.WebSocket}): open a page in a phone-sized viewport, click, type, read the
 * DOM, wait for navigations, take screenshots. Reusable by any test that shows a person a page.
 *
 * <p>Chromium comes from the Debian package {@code chromium} ({@code apt-get install -y chromium};
 * .ci/run installs it); {@code HCP_CHROMIUM} names another binary. Without one, {@link #requireOrSkip}
 * skips the test with a clear message, unless {@code HCP_TEST_REQUIRE_BROWSER=1} (CI), where it fails.
 */
public final class HeadlessBrowser implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path profileDir;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();

  private HeadlessBrowser(Process process, Path profileDir, WebSocket socket) {
    this.process = process;
    this.profileDir = profileDir;
    this.socket = socket;
  }

  /** The Chromium binary: HCP_CHROMIUM, or chromium / chromium-browser / google-chrome on the PATH. */
  public static Optional<Path> executable() {
    String configured = System.getenv("HCP_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Skips the calling test when there is no Chromium, or fails it when HCP_TEST_REQUIRE_BROWSER=1. */
  public static Path requireOrSkip() {
    Optional<Path> exe = executable();
    if (exe.isEmpty()) {
      String message = "headless Chromium not found (install the Debian package: apt-get install -y chromium, or set HCP_CHROMIUM)";
      if ("1".equals(System.getenv("HCP_TEST_REQUIRE_BROWSER"))) {
        throw new AssertionError(message + "; HCP_TEST_REQUIRE_BROWSER=1 requires it");
      }
      Assumptions.abort(message + " — browser test skipped");
    }
    return exe.get();
  }

  /** Starts Chromium headless and opens one blank page of {@code width} x {@code height} CSS pixels. */
  public static HeadlessBrowser launch(int width, int height, boolean mobile) {
    Path exe = requireOrSkip();
    try {
      Path profile = Files.createTempDirectory("hcp-chromium-");
      Process p = new ProcessBuilder(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--no-default-browser-check", "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1",
          "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
          .redirectErrorStream(true).start();
      CompletableFuture<String> browserWs = new CompletableFuture<>();
      List<String> output = new CopyOnWriteArrayList<>();
      Thread drain = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            output.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              browserWs.complete(m.group(1));
            }
          }
        } catch (IOException e) {
          browserWs.completeExceptionally(e);
        }
        browserWs.completeExceptionally(new IllegalStateException("Chromium ended: " + String.join("\n", output)));
      }, "chromium-output");
      drain.setDaemon(true);
      drain.start();
      String ws = browserWs.get(60, TimeUnit.SECONDS);
      URI browserUri = URI.create(ws);
      String http = "http://" + browserUri.getHost() + ":" + browserUri.getPort();
      // One page target; its own WebSocket carries the page's commands and events.
      HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(http + "/json/new?about:blank"))
          .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      String pageWs = Json.MAPPER.readTree(created.body()).get("webSocketDebuggerUrl").asText();
      HeadlessBrowser[] self = new HeadlessBrowser[1];
      WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
          partial.append(data);
          if (last) {
            String text = partial.toString();
            partial.setLength(0);
            self[0].received(text);
          }
          webSocket.request(1);
          return null;
        }
      }).get(30, TimeUnit.SECONDS);
      HeadlessBrowser b = new HeadlessBrowser(p, profile, socket);
      self[0] = b;
      b.call("Page.enable", Map.of());
      b.call("Runtime.enable", Map.of());
      b.viewport(width, height, mobile);
      return b;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start headless Chromium " + exe + ": " + e, e);
    }
  }

  /** A phone: 390 x 844 CSS pixels at 2x, touch, mobile layout. */
  public static HeadlessBrowser phone() {
    return launch(390, 844, true);
  }

  /** A desktop screen: 1280 x 800 CSS pixels at 1x, as an operator's laptop. */
  public static HeadlessBrowser desktop() {
    return launch(1280, 800, false);
  }

  public void viewport(int width, int height, boolean mobile) {
    call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", mobile ? 2 : 1,
        "mobile", mobile));
    if (mobile) {
      call("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 5));
    }
  }

  /** Opens {@code url} and waits until it has loaded. */
  public void open(String url) {
    events.clear();
    JsonNode r = call("Page.navigate", Map.of("url", url));
    if (r.hasNonNull("errorText")) {
      throw new AssertionError("cannot open " + url + ": " + r.get("errorText").asText());
    }
    awaitLoad();
  }

  /** Clicks the element (as a tap would: the element's own click) and waits for the page it leads to. */
  public void clickAndWaitForPage(String selector) {
    events.clear();
    click(selector);
    awaitLoad();
  }

  public void click(String selector) {
    JsonNode found = eval("(function(){var e=document.querySelector(" + quote(selector) + ");if(!e)return false;"
        + "e.scrollIntoView({block:'center'});e.click();return true;})()");
    if (!found.asBoolean()) {
      throw new AssertionError("no element " + selector + " on " + url());
    }
  }

  /** Types into a text field as a person would: the value, then the input and change events. */
  public void type(String selector, String text) {
    JsonNode found = eval("(function(){var e=document.querySelector(" + quote(selector) + ");if(!e)return false;e.focus();"
        + "e.value=" + quote(text) + ";e.dispatchEvent(new Event('input',{bubbles:true}));"
        + "e.dispatchEvent(new Event('change',{bubbles:true}));return true;})()");
    if (!found.asBoolean()) {
      throw new AssertionError("no field " + selector + " on " + url());
    }
  }

  /** The visible text of the first element matching {@code selector}, or null. */
  public String text(String selector) {
    JsonNode t = eval("(function(){var e=document.querySelector(" + quote(selector) + ");return e?e.innerText:null;})()");
    return t.isNull() ? null : t.asText();
  }

  public boolean visible(String selector) {
    return eval("(function(){var e=document.querySelector(" + quote(selector) + ");"
        + "return !!e && !e.closest('[hidden]') && e.getClientRects().length>0;})()").asBoolean();
  }

  public String url() {
    return eval("location.href").asText();
  }

  /** Evaluates JavaScript in the page; the value, by value. */
  public JsonNode eval(String expression) {
    JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError("script failed: " + r.get("exceptionDetails"));
    }
    JsonNode result = r.get("result");
    return result.has("value") ? result.get("value") : Json.MAPPER.nullNode();
  }

  /** A PNG of the whole page, not only the viewport. */
  public byte[] screenshot() {
    JsonNode metrics = call("Page.getLayoutMetrics", Map.of());
    JsonNode size = metrics.has("cssContentSize") ? metrics.get("cssContentSize") : metrics.get("contentSize");
    JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", size.get("width").asDouble(), "height", size.get("height").asDouble(), "scale", 1)));
    return Base64.getDecoder().decode(r.get("data").asText());
  }

  /** A PNG of what the viewport shows now (small: 1280 x 800 on a desktop), written to {@code file}. */
  public void screenshotViewport(Path file) {
    JsonNode r = call("Page.captureScreenshot", Map.of("format", "png"));
    write(file, Base64.getDecoder().decode(r.get("data").asText()));
  }

  public void screenshot(Path file) {
    write(file, screenshot());
  }

  private static void write(Path file, byte[] png) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Messages the page wrote to its console, for a failing test's report. */
  public List<String> consoleLog() {
    return List.copyOf(log);
  }

  /** Sends one DevTools command and waits for its answer. */
  public JsonNode call(String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode msg = Json.MAPPER.createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", Json.MAPPER.valueToTree(params));
    socket.sendText(Json.text(msg), true).join();
    try {
      JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (reply.has("error")) {
        throw new AssertionError(method + " failed: " + reply.get("error"));
      }
      return reply.path("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(method + " got no answer: " + e, e);
    } finally {
      pending.remove(id);
    }
  }

  private void awaitLoad() {
    await("page load").atMost(CALL_TIMEOUT).pollInterval(Duration.ofMillis(20))
        .until(() -> events.stream().anyMatch(e -> "Page.loadEventFired".equals(e.path("method").asText())));
  }

  private void received(String text) {
    JsonNode msg;
    try {
      msg = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      return;
    }
    if (msg.has("id")) {
      CompletableFuture<JsonNode> f = pending.get(msg.get("id").asInt());
      if (f != null) {
        f.complete(msg);
      }
    } else if (msg.has("method")) {
      if ("Runtime.consoleAPICalled".equals(msg.get("method").asText())) {
        log.add(msg.path("params").path("args").toString());
      }
      events.add(msg);
    }
  }

  private static String quote(String s) {
    return Json.text(s);
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    } catch (RuntimeException e) {
      // the browser is going away anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(profileDir)) {
      List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
      for (Path f : all) {
        Files.deleteIfExists(f);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // a temp profile left behind is harmless; Chromium's helper processes may still be writing
      // into it after the browser process ended, and a file gone mid-walk is an UncheckedIOException
    }
  }
}
