package org.haochaping.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.haochaping.gateway.province.ProvinceCodeTables;
import org.haochaping.gateway.province.envelope.EnvelopeException;
import org.haochaping.gateway.province.envelope.ProvinceEnvelope;
import org.haochaping.gateway.province.envelope.ProvinceEnvelopes;
import org.haochaping.gateway.province.envelope.SealedRequest;
import org.slf4j.Logger;
import org.xnio.IoUtils;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * A stand-in for a provincial 好差评 platform: a real HTTP server (Undertow) that opens the
 * gateway's envelopes, checks every national field with the province's code tables, refuses
 * unknown cases and duplicate ratings like the real platforms do, records what it accepted, and
 * misbehaves on request (errors, latency, outages, garbage answers, lost answers).
 *
 * <pre>
 * POST /api/cases         办件服务数据   {"records":[...]} inside the envelope
 * POST /api/evaluations   评价数据       {"records":[...]} inside the envelope
 * GET  /sim/cases | /sim/evaluations | /sim/stats     what it accepted and counted
 * POST /sim/reset                                     forget everything, clear faults
 * GET | POST | DELETE /sim/faults                     fault injection
 * </pre>
 *
 * See {@code docs/province-guide.md}. Records are kept in memory. Logs carry
 * projectNo and codes only, never the evaluator's personal data.
 */
public final class ProvinceSimulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProvinceSimulator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_UTF8 = "application/json;charset=UTF-8";
  private static final int MAX_BATCH = 500;

  /**
   * How to run the simulator.
   *
   * @param host address to bind ({@code 127.0.0.1} by default; {@code 0.0.0.0} for all interfaces)
   * @param port 0 for an ephemeral port, see {@link #port()}
   * @param province selects {@code mappings/codes/<province>/} ({@code guangdong}, {@code guangxi})
   * @param envelopeKind {@code hmac-json} or {@code sm2-sm4}
   * @param envelopeSettings the province side of the envelope: for {@code hmac-json} the same
   *     {@code appKey} and {@code secret} as the gateway; for {@code sm2-sm4} {@code appMark}, the
   *     province's {@code privateKey} and the gateway's public key as {@code peerPublicKey}
   * @param clock the province's clock (time window, "not in the future" checks, receive times)
   * @param randomSeed seeds the fault dice, so a test run can be repeated
   */
  public record Settings(
      String host,
      int port,
      String province,
      String envelopeKind,
      Map<String, String> envelopeSettings,
      Clock clock,
      long randomSeed) {

    public Settings {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(province, "province");
      Objects.requireNonNull(envelopeKind, "envelopeKind");
      envelopeSettings = Map.copyOf(envelopeSettings);
      clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Loopback, ephemeral port, HMAC-signed JSON. */
    public static Settings hmacJson(String province, String appKey, String secret) {
      return new Settings(
          "127.0.0.1", 0, province, "hmac-json", Map.of("appKey", appKey, "secret", secret), Clock.systemUTC(), System.nanoTime());
    }

    /** Loopback, ephemeral port, SM2/SM4 envelope with the province's private key and the gateway's public key. */
    public static Settings sm2Sm4(String province, String appMark, String provincePrivateKeyHex, String gatewayPublicKeyHex) {
      return new Settings(
          "127.0.0.1",
          0,
          province,
          "sm2-sm4",
          Map.of("appMark", appMark, "privateKey", provincePrivateKeyHex, "peerPublicKey", gatewayPublicKeyHex),
          Clock.systemUTC(),
          System.nanoTime());
    }

    public Settings withHost(String newHost) {
      return new Settings(newHost, port, province, envelopeKind, envelopeSettings, clock, randomSeed);
    }

    public Settings withPort(int newPort) {
      return new Settings(host, newPort, province, envelopeKind, envelopeSettings, clock, randomSeed);
    }

    public Settings withClock(Clock newClock) {
      return new Settings(host, port, province, envelopeKind, envelopeSettings, newClock, randomSeed);
    }

    public Settings withRandomSeed(long seed) {
      return new Settings(host, port, province, envelopeKind, envelopeSettings, clock, seed);
    }

    @Override
    public String toString() {
      // envelopeSettings hold secrets and keys: never print them
      return "Settings[" + host + ":" + port + ", province=" + province + ", envelope=" + envelopeKind + "]";
    }
  }

  private enum RecordKind {
    CASE,
    EVALUATION
  }

  /** A finished HTTP answer. */
  private record Answer(int status, String contentType, byte[] body) {
    static Answer json(int status, JsonNode node) {
      try {
        return new Answer(status, JSON_UTF8, JSON.writeValueAsBytes(node));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    static Answer html(int status, String html) {
      return new Answer(status, "text/html;charset=UTF-8", html.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final Settings settings;
  private final ProvinceCodeTables codes;
  private final ProvinceRecordRules rules;
  private final ProvinceEnvelope envelope;
  private final ProvinceLedger ledger;
  private final ProvinceFaults faults;
  private Undertow server;
  private int port;

  private ProvinceSimulator(Settings settings) {
    this.settings = settings;
    this.codes = ProvinceCodeTables.load(settings.province());
    this.rules = new ProvinceRecordRules(codes, settings.clock());
    this.envelope = ProvinceEnvelopes.create(settings.envelopeKind(), settings.envelopeSettings(), settings.clock());
    this.ledger = new ProvinceLedger(settings.clock());
    this.faults = new ProvinceFaults(settings.clock(), new Random(settings.randomSeed()));
    this.port = settings.port();
  }

  /** Starts a simulator and returns its handle once it listens. */
  public static ProvinceSimulator start(Settings settings) {
    ProvinceSimulator simulator = new ProvinceSimulator(settings);
    simulator.listen();
    return simulator;
  }

  /** Standalone: {@code --port 9080 --province guangdong --envelope hmac-json --secret ...}; see {@link ProvinceSimulatorCommand}. */
  public static void main(String[] args) {
    int exitCode = new CommandLine(new ProvinceSimulatorCommand()).execute(args);
    if (exitCode != 0) {
      System.exit(exitCode); // on success the command returns only while the JVM is already shutting down
    }
  }

  /** The port it listens on (the actual one when started with port 0). */
  public int port() {
    return port;
  }

  /** {@code http://host:port}, for the gateway's {@code province.url}. */
  public String baseUrl() {
    String host = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
    return "http://" + host + ":" + port;
  }

  public Settings settings() {
    return settings;
  }

  public String province() {
    return codes.province();
  }

  public ProvinceFaults faults() {
    return faults;
  }

  public ProvinceLedger ledger() {
    return ledger;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Stops listening; received records and counters are kept (a province that went down). */
  public synchronized void stop() {
    if (server != null) {
      server.stop();
      server = null;
      LOG.info("Province simulator ({}) stopped on port {}", codes.province(), port);
    }
  }

  /** Listens again on the same port after {@link #stop()}. */
  public synchronized void restart() {
    if (server == null) {
      listen();
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void listen() {
    Undertow undertow =
        Undertow.builder()
            .addHttpListener(port, settings.host())
            .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setWorkerThreads(32)
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 16L * 1024 * 1024)
            .setHandler(routes())
            .build();
    undertow.start();
    server = undertow;
    port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    LOG.info(
        "Province simulator listening on {} — SIMULATED {} 好差评 platform, envelope {} (not a real province)",
        baseUrl(),
        codes.province(),
        envelope.kind());
  }

  private HttpHandler routes() {
    RoutingHandler routes = Handlers.routing();
    routes.post("/api/cases", exchange -> receive(exchange, RecordKind.CASE));
    routes.post("/api/evaluations", exchange -> receive(exchange, RecordKind.EVALUATION));
    routes.get("/sim/cases", new BlockingHandler(exchange -> send(exchange, Answer.json(200, receipts(ledger.cases())))));
    routes.get("/sim/evaluations", new BlockingHandler(exchange -> send(exchange, Answer.json(200, receipts(ledger.evaluations())))));
    routes.get("/sim/stats", new BlockingHandler(exchange -> send(exchange, Answer.json(200, JSON.valueToTree(ledger.stats())))));
    routes.post("/sim/reset", new BlockingHandler(this::reset));
    routes.get("/sim/faults", new BlockingHandler(exchange -> send(exchange, Answer.json(200, faultsJson()))));
    routes.post("/sim/faults", new BlockingHandler(this::setFaults));
    routes.delete("/sim/faults", new BlockingHandler(exchange -> {
      faults.clear();
      send(exchange, Answer.json(200, faultsJson()));
    }));
    routes.setFallbackHandler(exchange -> send(exchange, Answer.json(404, status("4040", "接口不存在"))));
    routes.setInvalidMethodHandler(exchange -> send(exchange, Answer.json(405, status("4050", "请求方法不支持"))));
    return routes;
  }

  // ---- /api: the province's interface -----------------------------------------------------

  /** On the IO thread: apply the fault dice, read the body without blocking, then work on a worker. */
  private void receive(HttpServerExchange exchange, RecordKind kind) {
    ledger.countRequest(kind == RecordKind.CASE);
    ProvinceFaults.Decision decision = faults.decide();
    if (decision.kind() == ProvinceFaults.Decision.Kind.OUTAGE) {
      ledger.countFault("outage");
      if (faults.current().outageMode() == FaultPlan.OutageMode.CLOSE_CONNECTION) {
        IoUtils.safeClose(exchange.getConnection());
        return;
      }
      send(exchange, Answer.json(503, status("9503", "平台维护中，请稍后重试")));
      return;
    }
    Map<String, String> headers = headers(exchange);
    exchange
        .getRequestReceiver()
        .receiveFullBytes(
            (ex, body) -> ex.dispatch(worker -> answer(worker, kind, headers, body, decision)),
            (ex, error) -> {
              LOG.debug("Province simulator could not read a request body: {}", error.toString());
              ex.endExchange();
            });
  }

  /** On a worker thread: compute the answer, then send it now or after the injected latency. */
  private void answer(HttpServerExchange exchange, RecordKind kind, Map<String, String> headers, byte[] body, ProvinceFaults.Decision decision) {
    Answer answer =
        switch (decision.kind()) {
          case ERROR -> errorAnswer(decision.status());
          case MALFORMED -> Answer.html(200, "<html><body><h1>系统繁忙，请稍后再试</h1></body></html>");
          case LOST_ANSWER -> {
            handleRecords(kind, headers, body); // the records arrive; only the answer is lost
            yield Answer.html(504, "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center></body></html>");
          }
          default -> handleRecords(kind, headers, body);
        };
    switch (decision.kind()) {
      case ERROR -> ledger.countFault("error" + decision.status());
      case MALFORMED -> ledger.countFault("malformed");
      case LOST_ANSWER -> ledger.countFault("lostAnswer");
      default -> {}
    }
    long latency = decision.latencyMs();
    if (latency <= 0) {
      send(exchange, answer);
    } else {
      // Wait on the IO thread's timer, not by sleeping a worker: slow answers must not starve the pool.
      exchange.dispatch(
          SameThreadExecutor.INSTANCE,
          () -> exchange.getIoThread().executeAfter(() -> send(exchange, answer), latency, TimeUnit.MILLISECONDS));
    }
  }

  private Answer handleRecords(RecordKind kind, Map<String, String> headers, byte[] body) {
    byte[] payload;
    try {
      payload = envelope.open(new SealedRequest(body, headers.getOrDefault("Content-Type", JSON_UTF8), headers));
    } catch (EnvelopeException e) {
      ledger.countEnvelopeRejected();
      LOG.debug("Province simulator refused an envelope: {}", e.code());
      ObjectNode refusal = status("1001", e.bilingualMessage());
      refusal.put("reason", e.code());
      return Answer.json(401, refusal);
    }

    JsonNode records;
    try {
      records = JSON.readTree(payload).get("records");
    } catch (IOException | RuntimeException e) {
      records = null;
    }
    if (records == null || !records.isArray() || records.isEmpty() || records.size() > MAX_BATCH) {
      ledger.countRejected("2002");
      ObjectNode refusal = status("2002", "报文须为{\"records\":[...]}，records为1至" + MAX_BATCH + "条记录的数组");
      refusal.putArray("results");
      return Answer.json(200, refusal);
    }

    ObjectNode answer = status("0000", "成功");
    ArrayNode results = answer.putArray("results");
    for (JsonNode record : records) {
      results.add(kind == RecordKind.CASE ? receiveCase(record) : receiveEvaluation(record));
    }
    return Answer.json(200, answer);
  }

  private ObjectNode receiveCase(JsonNode record) {
    ObjectNode result = JSON.createObjectNode();
    result.put("projectNo", text(record, "projectNo"));
    List<FieldViolation> violations = rules.checkCase(record);
    if (!violations.isEmpty()) {
      return refuse(result, "case", violations);
    }
    ProvinceLedger.Outcome outcome = ledger.acceptCase(text(record, "projectNo"), record);
    return result.put("code", outcome.code).put("message", outcome.message);
  }

  private ObjectNode receiveEvaluation(JsonNode record) {
    String serviceNumber = text(record, "serviceNumber");
    ObjectNode result = JSON.createObjectNode();
    result.put("projectNo", text(record, "projectNo"));
    result.put("assessNumber", text(record, "assessNumber"));
    result.put("serviceNumber", serviceNumber == null || serviceNumber.isBlank() ? "1" : serviceNumber);
    List<FieldViolation> violations = rules.checkEvaluation(record);
    if (!violations.isEmpty()) {
      return refuse(result, "evaluation", violations);
    }
    ProvinceLedger.Outcome outcome =
        ledger.acceptEvaluation(
            result.get("projectNo").asText(), result.get("assessNumber").asText(), result.get("serviceNumber").asText(), record);
    if (outcome != ProvinceLedger.Outcome.ACCEPTED) {
      LOG.debug("Province simulator refused evaluation projectNo={} code={}", result.get("projectNo").asText(), outcome.code);
    }
    return result.put("code", outcome.code).put("message", outcome.message);
  }

  private ObjectNode refuse(ObjectNode result, String what, List<FieldViolation> violations) {
    ledger.countRejected("2001");
    // Field names only: the rule texts never carry personal data, but the log need not even try.
    LOG.debug(
        "Province simulator refused {} projectNo={} code=2001 fields={}",
        what,
        result.path("projectNo").asText(),
        violations.stream().map(FieldViolation::field).collect(Collectors.toList()));
    return result
        .put("code", "2001")
        .put("message", violations.stream().map(FieldViolation::message).collect(Collectors.joining("；")));
  }

  private static Answer errorAnswer(int status) {
    return switch (status) {
      case 502 -> Answer.html(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>");
      case 503 -> Answer.html(503, "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>");
      default -> Answer.json(status, status("9999", "系统内部错误"));
    };
  }

  // ---- /sim: control and inspection -------------------------------------------------------

  private void reset(HttpServerExchange exchange) {
    ledger.reset();
    faults.clear();
    send(exchange, Answer.json(200, status("0000", "已重置")));
  }

  private void setFaults(HttpServerExchange exchange) {
    try {
      JsonNode body = JSON.readTree(exchange.getInputStream());
      faults.set(faultPlan(body == null || body.isMissingNode() ? JSON.createObjectNode() : body));
      send(exchange, Answer.json(200, faultsJson()));
    } catch (IOException e) {
      send(exchange, Answer.json(400, status("4000", "fault plan is not JSON")));
    } catch (IllegalArgumentException e) {
      send(exchange, Answer.json(400, status("4000", e.getMessage())));
    }
  }

  /**
   * {@code {"errorRate":0.2,"latencyMinMs":50,"latencyMaxMs":200,"outageSeconds":10,
   * "outageMode":"503"|"close","malformedRate":0.05,"lostAnswerRate":0.01}}; the plan is replaced
   * as a whole, absent fields are off.
   */
  private FaultPlan faultPlan(JsonNode body) {
    if (!body.isObject()) {
      throw new IllegalArgumentException("fault plan must be a JSON object");
    }
    long outageSeconds = body.path("outageSeconds").asLong(0);
    String mode = body.path("outageMode").asText("503");
    FaultPlan.OutageMode outageMode =
        switch (mode) {
          case "503", "unavailable" -> FaultPlan.OutageMode.UNAVAILABLE;
          case "close", "close-connection" -> FaultPlan.OutageMode.CLOSE_CONNECTION;
          default -> throw new IllegalArgumentException("outageMode must be 503 or close, was " + mode);
        };
    long min = body.path("latencyMinMs").asLong(0);
    long max = body.has("latencyMaxMs") ? body.path("latencyMaxMs").asLong() : min;
    return new FaultPlan(
        body.path("errorRate").asDouble(0),
        min,
        max,
        outageSeconds > 0 ? settings.clock().instant().plus(Duration.ofSeconds(outageSeconds)) : null,
        outageMode,
        body.path("malformedRate").asDouble(0),
        body.path("lostAnswerRate").asDouble(0));
  }

  private ObjectNode faultsJson() {
    FaultPlan plan = faults.current();
    ObjectNode node = JSON.createObjectNode();
    node.put("errorRate", plan.errorRate());
    node.put("latencyMinMs", plan.latencyMinMs());
    node.put("latencyMaxMs", plan.latencyMaxMs());
    Instant until = plan.outageUntil();
    long remaining = until == null ? 0 : Math.max(0, Duration.between(settings.clock().instant(), until).toMillis());
    node.put("outageRemainingMs", remaining);
    node.put("outageMode", plan.outageMode() == FaultPlan.OutageMode.UNAVAILABLE ? "503" : "close");
    node.put("malformedRate", plan.malformedRate());
    node.put("lostAnswerRate", plan.lostAnswerRate());
    return node;
  }

  private static ArrayNode receipts(List<ProvinceLedger.Receipt> receipts) {
    ArrayNode array = JSON.createArrayNode();
    for (ProvinceLedger.Receipt receipt : receipts) {
      ObjectNode item = array.addObject();
      item.put("seq", receipt.seq());
      item.put("receivedAt", receipt.receivedAt().atZone(ProvinceRecordRules.CHINA).toOffsetDateTime().toString());
      item.put("update", receipt.update());
      item.set("record", receipt.record());
    }
    return array;
  }

  // ---- HTTP plumbing ----------------------------------------------------------------------

  private static ObjectNode status(String code, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("code", code);
    node.put("message", message);
    return node;
  }

  private static String text(JsonNode record, String field) {
    JsonNode value = record == null ? null : record.get(field);
    return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
  }

  private static Map<String, String> headers(HttpServerExchange exchange) {
    Map<String, String> headers = new HashMap<>();
    for (HeaderValues values : exchange.getRequestHeaders()) {
      headers.put(values.getHeaderName().toString(), values.getFirst());
    }
    return headers;
  }

  private static void send(HttpServerExchange exchange, Answer answer) {
    exchange.setStatusCode(answer.status());
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, answer.contentType());
    exchange.getResponseSender().send(ByteBuffer.wrap(answer.body()));
  }
}
