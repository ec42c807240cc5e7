package org.haochaping.gateway.province;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * How the gateway talks to one provincial 好差评 platform: where, with which envelope, how fast and
 * how patiently. Read from {@code connectors/province-<name>.properties} (keys {@code province.*});
 * secrets come from environment variables named in that file, never from the file itself.
 *
 * @param url the province's base URL; empty = start the built-in simulator
 * @param envelope the envelope kind and its settings, e.g. {@code kind=hmac-json, appKey, secret}
 * @param batchSize records per request (1..500, the province's limit)
 * @param batchWindow how long a batch waits for more records
 * @param inFlight concurrent requests
 * @param tps requests per second at most (0 = no limit)
 * @param consumers ratings taken from the broker at once
 */
public record ConnectorProfile(
    String name,
    String url,
    String casesPath,
    String evaluationsPath,
    Map<String, String> envelope,
    Duration connectTimeout,
    Duration requestTimeout,
    int batchSize,
    Duration batchWindow,
    int inFlight,
    int tps,
    int consumers,
    Backoff retry,
    int retryAttempts,
    int breakerFailures,
    Duration breakerOpen,
    Duration breakerMaxOpen) {

  /** The province's own limit on records per request. */
  public static final int MAX_BATCH = 500;

  public static final String PREFIX = "province.";

  public ConnectorProfile {
    envelope = Map.copyOf(envelope);
    if (batchSize < 1 || batchSize > MAX_BATCH) {
      throw new IllegalArgumentException("province.batch.size must be 1.." + MAX_BATCH + ", was " + batchSize);
    }
    if (inFlight < 1) {
      throw new IllegalArgumentException("province.inFlight must be at least 1, was " + inFlight);
    }
    if (tps < 0) {
      throw new IllegalArgumentException("province.tps must be 0 (no limit) or more, was " + tps);
    }
    if (consumers < 8) {
      // routes/forward-province.camel.yaml keeps 8 consumers waiting and adds more up to this number
      throw new IllegalArgumentException("province.consumers (HCP_PROVINCE_CONSUMERS) must be at least 8, was " + consumers);
    }
    if (retryAttempts < 1 || breakerFailures < 1) {
      throw new IllegalArgumentException("province.retry.attempts and province.breaker.failures must be at least 1");
    }
  }

  /** Where the connector file of a province lies on the classpath. */
  public static String location(String name) {
    if (!name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("connector name must be lower case letters, digits or '-', was " + name);
    }
    return "connectors/province-" + name + ".properties";
  }

  /**
   * Reads the profile through {@code property}, which answers a key's resolved value or null
   * (Camel's properties: the connector file, overridden by any property of the same name).
   */
  public static ConnectorProfile read(String name, Function<String, String> property) {
    Reader r = new Reader(property);
    Map<String, String> envelope = new LinkedHashMap<>();
    for (String key : new String[] {"kind", "appKey", "secret", "appMark", "privateKey", "peerPublicKey", "maxSkewSeconds"}) {
      String value = r.optional("envelope." + key);
      if (value != null) {
        // a secret is used byte for byte (ProvinceEnvelopes); names and hex keys may carry stray spaces
        envelope.put(key, key.equals("secret") ? property.apply(PREFIX + "envelope.secret") : value);
      }
    }
    if (!envelope.containsKey("kind")) {
      throw new IllegalArgumentException("connector " + name + ": province.envelope.kind is missing");
    }
    return new ConnectorProfile(
        name,
        stripSlash(r.text("url", "")),
        r.text("path.cases", "/api/cases"),
        r.text("path.evaluations", "/api/evaluations"),
        envelope,
        Duration.ofMillis(r.number("timeout.connectMillis", 3_000)),
        Duration.ofMillis(r.number("timeout.requestMillis", 15_000)),
        (int) r.number("batch.size", 100),
        Duration.ofMillis(r.number("batch.windowMillis", 20)),
        (int) r.number("inFlight", 8),
        (int) r.number("tps", 50),
        (int) r.number("consumers", 400),
        new Backoff(Duration.ofMillis(r.number("retry.initialMillis", 200)), Duration.ofMillis(r.number("retry.maxMillis", 10_000)),
            r.decimal("retry.multiplier", 2.0), r.decimal("retry.jitter", 0.5)),
        (int) r.number("retry.attempts", 8),
        (int) r.number("breaker.failures", 5),
        Duration.ofMillis(r.number("breaker.openMillis", 1_000)),
        Duration.ofMillis(r.number("breaker.maxOpenMillis", 8_000)));
  }

  /** True when no province URL is configured: the gateway runs its simulator. */
  public boolean simulated() {
    return url.isBlank();
  }

  public ConnectorProfile withUrl(String newUrl) {
    return new ConnectorProfile(name, stripSlash(newUrl), casesPath, evaluationsPath, envelope, connectTimeout, requestTimeout,
        batchSize, batchWindow, inFlight, tps, consumers, retry, retryAttempts, breakerFailures, breakerOpen, breakerMaxOpen);
  }

  public ConnectorProfile withEnvelope(Map<String, String> newEnvelope) {
    return new ConnectorProfile(name, url, casesPath, evaluationsPath, newEnvelope, connectTimeout, requestTimeout,
        batchSize, batchWindow, inFlight, tps, consumers, retry, retryAttempts, breakerFailures, breakerOpen, breakerMaxOpen);
  }

  public String envelopeKind() {
    return envelope.get("kind");
  }

  @Override
  public String toString() {
    // envelope holds secrets and keys: never print them
    return "ConnectorProfile[" + name + ", " + (simulated() ? "simulator" : url) + ", envelope " + envelopeKind()
        + ", batch " + batchSize + ", inFlight " + inFlight + ", tps " + (tps == 0 ? "unlimited" : tps) + "]";
  }

  private static String stripSlash(String url) {
    String u = url == null ? "" : url.strip();
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  private record Reader(Function<String, String> property) {
    String optional(String key) {
      String v = property.apply(PREFIX + key);
      return v == null || v.isBlank() ? null : v.strip();
    }

    String text(String key, String fallback) {
      String v = optional(key);
      return v == null ? fallback : v;
    }

    long number(String key, long fallback) {
      String v = optional(key);
      try {
        return v == null ? fallback : Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PREFIX + key + " must be a whole number, was '" + v + "'");
      }
    }

    double decimal(String key, double fallback) {
      String v = optional(key);
      try {
        return v == null ? fallback : Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PREFIX + key + " must be a number, was '" + v + "'");
      }
    }
  }
}
