package org.haochaping.gateway.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.store.RatingLedger;

/**
 * {@code GET /api/v1/admin/overview}: what the console shows at a glance — every health check,
 * today's ratings per channel, refusals per channel and reason since start, and the latest errors.
 */
public final class OverviewApi {

  private final RatingLedger ledger;
  private final MeterRegistry meters;
  private final RecentErrors errors;
  private final Clock clock;

  public OverviewApi(RatingLedger ledger, MeterRegistry meters, RecentErrors errors, Clock clock) {
    this.ledger = ledger;
    this.meters = meters;
    this.errors = errors;
    this.clock = clock;
  }

  public void overview(Exchange exchange) {
    Map<String, Object> body = new LinkedHashMap<>();
    Collection<HealthCheck.Result> ready = HealthCheckHelper.invokeReadiness(exchange.getContext());
    Collection<HealthCheck.Result> live = HealthCheckHelper.invokeLiveness(exchange.getContext());
    body.put("ready", PeerHealth.allUp(ready));
    body.put("live", PeerHealth.allUp(live));
    Map<String, Map<String, Object>> checks = new TreeMap<>();
    for (Collection<HealthCheck.Result> results : List.of(ready, live)) {
      for (HealthCheck.Result r : results) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("state", PeerHealth.state(r));
        PeerHealth.message(r).ifPresent(m -> c.put("message", m));
        c.put("details", new TreeMap<>(PeerHealth.details(r)));
        checks.putIfAbsent(r.getCheck().getId(), c);
      }
    }
    body.put("checks", checks);
    OffsetDateTime midnight = LocalDate.now(clock.withZone(ChinaTime.ZONE)).atStartOfDay(ChinaTime.ZONE).toOffsetDateTime();
    body.put("today", midnight.toLocalDate().toString());
    body.put("ratingsToday", ledger.countByChannelSince(midnight));
    body.put("refusedSinceStart", refusals());
    body.put("recentErrors", errors.latest(50));
    HttpReply.json(exchange, 200, body);
  }

  private List<Map<String, Object>> refusals() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Counter c : meters.find("hcp.ratings.rejected").counters()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", c.getId().getTag("channel"));
      m.put("reason", c.getId().getTag("reason"));
      m.put("count", (long) c.count());
      out.add(m);
    }
    return out;
  }
}
