package org.haochaping.gateway.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.haochaping.gateway.channel.HttpReply;

/** {@code /observe/health} (live and ready, with details) and {@code /observe/metrics} (Prometheus). */
public final class ObserveApi {

  private final PrometheusMeterRegistry registry;

  public ObserveApi(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** GET /observe/health: every check with its details; 503 when not ready. */
  public void health(Exchange exchange) {
    Collection<HealthCheck.Result> ready = HealthCheckHelper.invokeReadiness(exchange.getContext());
    Collection<HealthCheck.Result> live = HealthCheckHelper.invokeLiveness(exchange.getContext());
    boolean isReady = PeerHealth.allUp(ready);
    boolean isLive = PeerHealth.allUp(live);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", isReady && isLive ? "UP" : "DOWN");
    body.put("live", isLive);
    body.put("ready", isReady);
    // Far peers that are away: the gateway is ready, but something needs a look.
    List<String> degraded = new ArrayList<>();
    ready.forEach(r -> addDegraded(degraded, r));
    live.forEach(r -> addDegraded(degraded, r));
    body.put("degraded", degraded);
    Map<String, Map<String, Object>> checks = new LinkedHashMap<>();
    ready.forEach(r -> checks.put(r.getCheck().getId(), describe(r)));
    live.forEach(r -> checks.putIfAbsent(r.getCheck().getId(), describe(r)));
    body.put("checks", new ArrayList<>(checks.values()));
    HttpReply.json(exchange, isReady && isLive ? 200 : 503, body);
  }

  /** GET /observe/health/live: the process works (it may still be waiting for a peer). */
  public void live(Exchange exchange) {
    respond(exchange, HealthCheckHelper.invokeLiveness(exchange.getContext()));
  }

  /** GET /observe/health/ready: ratings can be accepted durably. */
  public void ready(Exchange exchange) {
    respond(exchange, HealthCheckHelper.invokeReadiness(exchange.getContext()));
  }

  /** GET /observe/metrics. */
  public void metrics(Exchange exchange) {
    HttpReply.text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
  }

  private static void respond(Exchange exchange, Collection<HealthCheck.Result> results) {
    boolean up = PeerHealth.allUp(results);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    List<Map<String, Object>> down = results.stream().filter(r -> !PeerHealth.up(r)).map(ObserveApi::describe).toList();
    if (!down.isEmpty()) {
      body.put("down", down);
    }
    HttpReply.json(exchange, up ? 200 : 503, body);
  }

  private static void addDegraded(List<String> out, HealthCheck.Result r) {
    if (PeerHealth.DEGRADED.equals(PeerHealth.state(r)) && !out.contains(r.getCheck().getId())) {
      out.add(r.getCheck().getId());
    }
  }

  private static Map<String, Object> describe(HealthCheck.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.getCheck().getId());
    m.put("state", PeerHealth.state(r));
    PeerHealth.message(r).ifPresent(msg -> m.put("message", msg));
    Map<String, String> details = PeerHealth.details(r);
    if (!details.isEmpty()) {
      m.put("details", details);
    }
    return m;
  }
}
