package org.haochaping.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's HTTP control API (JSON), for scripts, benchmarks and tests in another process:
 * {@code GET /sim/messages}, {@code GET /sim/stats}, {@code GET|POST /sim/faults}, {@code GET
 * /sim/deliveries}, {@code POST /sim/mo}, {@code POST /sim/drop-binds}, {@code POST /sim/reset}.
 */
final class SmscControlServer {

  private static final Logger LOG = LoggerFactory.getLogger(SmscControlServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SmscSimulator sim;
  private final HttpServer server;
  private final ExecutorService executor;

  private SmscControlServer(SmscSimulator sim, HttpServer server, ExecutorService executor) {
    this.sim = sim;
    this.server = server;
    this.executor = executor;
  }

  static SmscControlServer start(SmscSimulator sim, String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 50);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "smsc-sim-http");
              t.setDaemon(true);
              return t;
            });
    SmscControlServer control = new SmscControlServer(sim, server, executor);
    server.createContext("/sim/", control::handle);
    server.setExecutor(executor);
    server.start();
    return control;
  }

  int port() {
    return server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      try {
        route(exchange, method, path);
      } catch (IllegalArgumentException e) {
        send(exchange, 400, Map.of("error", String.valueOf(e.getMessage())));
      } catch (RuntimeException e) {
        LOG.warn("SMSC simulator control request {} {} failed", method, path, e);
        send(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
      }
    }
  }

  private void route(HttpExchange ex, String method, String path) throws IOException {
    switch (method + " " + path) {
      case "GET /sim/messages" -> send(ex, 200, messages(query(ex)));
      case "GET /sim/stats" -> send(ex, 200, sim.stats());
      case "GET /sim/deliveries" -> send(ex, 200, Map.of("deliveries", deliveries()));
      case "GET /sim/faults" -> send(ex, 200, sim.faults());
      case "POST /sim/faults" -> {
        applyFaults(body(ex));
        send(ex, 200, sim.faults());
      }
      case "POST /sim/mo" -> {
        JsonNode body = body(ex);
        List<Delivery> queued =
            sim.injectMo(text(body, "from"), text(body, "to"), text(body, "text"));
        send(ex, 202, Map.of("queued", queued.stream().map(Delivery::id).toList()));
      }
      case "POST /sim/drop-binds" -> send(ex, 200, Map.of("dropped", sim.dropBinds()));
      case "POST /sim/reset" -> {
        sim.reset();
        send(ex, 200, Map.of("reset", true));
      }
      default -> send(ex, 404, Map.of("error", "no such endpoint: " + method + " " + path));
    }
  }

  private Map<String, Object> messages(Map<String, String> query) {
    String destination = query.get("destination");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "messages",
        sim.messages().stream()
            .filter(m -> destination == null || destination.equals(m.destination()))
            .map(SmscControlServer::message)
            .toList());
    out.put(
        "parts",
        sim.parts().stream()
            .filter(p -> destination == null || destination.equals(p.destination()))
            .map(SmscControlServer::part)
            .toList());
    out.put(
        "incomplete",
        sim.incomplete().stream()
            .filter(m -> destination == null || destination.equals(m.destination()))
            .map(
                m -> {
                  Map<String, Object> j = new LinkedHashMap<>();
                  j.put("source", m.source());
                  j.put("destination", m.destination());
                  j.put("reference", m.reference());
                  j.put("total", m.total());
                  j.put("receivedSeqs", m.receivedSeqs());
                  j.put("anomalies", m.anomalies());
                  return j;
                })
            .toList());
    return out;
  }

  private static Map<String, Object> message(AssembledMessage m) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("source", m.source());
    j.put("destination", m.destination());
    j.put("text", m.text());
    j.put("partCount", m.partCount());
    j.put("messageIds", m.messageIds());
    j.put("firstReceivedAt", m.firstReceivedAt().toString());
    j.put("completedAt", m.completedAt().toString());
    j.put("anomalies", m.anomalies());
    return j;
  }

  private static Map<String, Object> part(SubmittedPart p) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("messageId", p.messageId());
    j.put("commandStatus", p.commandStatus());
    j.put("systemId", p.systemId());
    j.put("receivedAt", p.receivedAt().toString());
    j.put("receivedNanos", p.receivedNanos());
    j.put("source", p.source());
    j.put("destination", p.destination());
    j.put("dataCoding", p.dataCoding());
    j.put("esmClass", p.esmClass());
    j.put("registeredDelivery", p.registeredDelivery());
    j.put("shortMessageHex", p.shortMessageHex());
    j.put("text", p.text());
    j.put("concat", p.concat());
    j.put("anomalies", p.anomalies());
    return j;
  }

  private List<Map<String, Object>> deliveries() {
    return sim.deliveries().stream()
        .map(
            d -> {
              Map<String, Object> j = new LinkedHashMap<>();
              j.put("id", d.id());
              j.put("kind", d.kind());
              j.put("source", d.source());
              j.put("destination", d.destination());
              j.put("text", d.text());
              j.put("receiptedMessageId", d.receiptedMessageId());
              j.put("receiptState", d.receiptState());
              j.put("status", d.status());
              j.put("attempts", d.attempts());
              j.put("queuedAt", d.queuedAt().toString());
              j.put("doneAt", d.doneAt() == null ? null : d.doneAt().toString());
              j.put("commandStatus", d.commandStatus());
              return j;
            })
        .toList();
  }

  private void applyFaults(JsonNode body) {
    if (body.has("refuseBinds")) {
      sim.setRefuseBinds(body.get("refuseBinds").asBoolean());
    }
    if (body.has("maxTps")) {
      sim.setMaxTps(body.get("maxTps").asInt());
    }
    if (body.has("errorRate")) {
      double rate = body.get("errorRate").asDouble();
      int status = body.path("errorStatus").asInt(0x08);
      sim.setSubmitErrorRate(rate, status == 0 ? 0x08 : status);
    }
    if (body.has("submitResponseDelayMs")) {
      sim.setSubmitResponseDelay(Duration.ofMillis(body.get("submitResponseDelayMs").asLong()));
    }
    if (body.has("receiptState") || body.has("receiptDelayMs") || body.has("receiptError")) {
      ReceiptState state = ReceiptState.valueOf(body.path("receiptState").asText("DELIVRD"));
      ReceiptOutcome outcome = ReceiptOutcome.of(state);
      String error = body.path("receiptError").asText(outcome.error());
      sim.setReceiptOutcome(
          new ReceiptOutcome(
              state, error, Duration.ofMillis(body.path("receiptDelayMs").asLong(0))));
    }
    JsonNode byDest = body.path("receiptOutcomes");
    for (Iterator<Map.Entry<String, JsonNode>> it = byDest.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      sim.setReceiptOutcome(e.getKey(), ReceiptOutcome.of(ReceiptState.valueOf(e.getValue().asText())));
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' (string) is required");
    }
    return v.asText();
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) {
        return JSON.createObjectNode();
      }
      try {
        JsonNode node = JSON.readTree(bytes);
        if (node == null || !node.isObject()) {
          throw new IllegalArgumentException("body must be a JSON object");
        }
        return node;
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("body is not JSON: " + e.getOriginalMessage());
      }
    }
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
