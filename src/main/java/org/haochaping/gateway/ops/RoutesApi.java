package org.haochaping.gateway.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RouteError;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;

/**
 * {@code /api/v1/admin/routes}: every route with its state, traffic and last error; suspend and
 * resume without a redeploy (a suspended REST route answers 503, a suspended consumer leaves its
 * messages in its queue until resumed).
 */
public final class RoutesApi {

  private final MeterRegistry meters;

  public RoutesApi(MeterRegistry meters) {
    this.meters = meters;
  }

  /** GET /api/v1/admin/routes. */
  public void list(Exchange exchange) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<Route> routes = new ArrayList<>(exchange.getContext().getRoutes());
    routes.sort(Comparator.comparing(Route::getRouteId));
    for (Route r : routes) {
      out.add(describe(exchange, r));
    }
    HttpReply.json(exchange, 200, out);
  }

  /** POST /api/v1/admin/routes/{routeId}/suspend. */
  public void suspend(Exchange exchange) throws Exception {
    change(exchange, true);
  }

  /** POST /api/v1/admin/routes/{routeId}/resume. */
  public void resume(Exchange exchange) throws Exception {
    change(exchange, false);
  }

  private void change(Exchange exchange, boolean suspend) throws Exception {
    String id = exchange.getMessage().getHeader("routeId", String.class);
    Route route = exchange.getContext().getRoute(id);
    if (route == null) {
      HttpReply.problem(exchange, Problem.notFound("没有路由 " + id + " / no route " + id));
      return;
    }
    if (id.startsWith("admin-") || id.startsWith("observe-")) {
      HttpReply.problem(exchange, Problem.of(409, "ROUTE_PROTECTED", "管理和监控路由不能暂停", "Admin and observe routes cannot be suspended",
          "否则将无法恢复 / otherwise nothing could resume them"));
      return;
    }
    if (suspend) {
      exchange.getContext().getRouteController().suspendRoute(id);
    } else {
      exchange.getContext().getRouteController().resumeRoute(id);
    }
    HttpReply.json(exchange, 200, describe(exchange, route));
  }

  private Map<String, Object> describe(Exchange exchange, Route r) {
    Map<String, Object> m = new LinkedHashMap<>();
    ServiceStatus status = exchange.getContext().getRouteController().getRouteStatus(r.getRouteId());
    m.put("id", r.getRouteId());
    m.put("from", r.getEndpoint().getEndpointBaseUri());
    m.put("status", status == null ? "Unknown" : status.name());
    // false for a route its configuration leaves off (e.g. no mailbox configured): stopped is then expected
    m.put("autoStartup", r.isAutoStartup());
    m.put("uptimeMillis", r.getUptimeMillis());
    m.put("exchangesTotal", count("camel.exchanges.total", r.getRouteId()));
    m.put("exchangesFailed", count("camel.exchanges.failed", r.getRouteId()));
    RouteError error = r.getLastError();
    if (error != null && error.getException() != null) {
      m.put("lastError", error.getException().getClass().getSimpleName() + ": " + error.getException().getMessage());
      m.put("lastErrorAt", error.getDate());
    }
    return m;
  }

  private long count(String name, String routeId) {
    FunctionCounter c = meters.find(name).tag("routeId", routeId).functionCounter();
    if (c != null) {
      return (long) c.count();
    }
    var counter = meters.find(name).tag("routeId", routeId).counter();
    return counter == null ? 0 : (long) counter.count();
  }
}
