package org.haochaping.gateway.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/stats}: figures of one unit, rankings, CSV/XLSX export, the hall registry and the
 * backfill. Behind the admin token (AccessGuard: VIEWER reads, OPERATOR changes). Answers never carry
 * evaluator data: the counters hold none.
 */
public final class StatsApi {

  private static final Logger LOG = LoggerFactory.getLogger(StatsApi.class);

  private final StatsService service;
  private final HallRegistry halls;
  private final StatsBackfill backfill;
  private final Map<String, String> tagLabels;
  private final String profile;
  private final Clock clock;

  StatsApi(StatsService service, HallRegistry halls, StatsBackfill backfill, Map<String, String> tagLabels, String profile, Clock clock) {
    this.service = service;
    this.halls = halls;
    this.backfill = backfill;
    this.tagLabels = tagLabels;
    this.profile = profile;
    this.clock = clock;
  }

  /** What every figure request names: the dimension, the period and the region. */
  private record Ask(Dimension dimension, Period period, AreaScope scope) {}

  /** GET /api/v1/stats/{dimension}/{code}?period=&date=&from=&to=&areaCode= */
  public void one(Exchange exchange) {
    handle(exchange, () -> {
      List<Violation> bad = new ArrayList<>();
      Ask ask = ask(exchange, bad);
      String code = exchange.getMessage().getHeader("code", String.class);
      if (ask.dimension() == Dimension.REGION && AreaScope.of(code).isEmpty()) {
        bad.add(Violation.invalid("code", "areaCode", "地区代码应为12位数字，如 440881000000", "a region is a 12-digit area code such as 440881000000"));
      }
      if (ask.dimension() == Dimension.CHANNEL && !isChannel(code)) {
        bad.add(Violation.invalid("code", "enum", "评价渠道应为以下之一：" + List.of(Channel.values()), "a channel is one of " + List.of(Channel.values())));
      }
      refuseIf(bad);
      UnitFigures u = service.one(ask.dimension(), code, ask.scope(), ask.period());
      // A region is its own scope.
      ObjectNode body = frame(ask.dimension() == Dimension.REGION ? new Ask(ask.dimension(), ask.period(), AreaScope.of(code).orElseThrow())
          : ask);
      body.setAll(u.toJson(tagLabels));
      HttpReply.json(exchange, 200, body);
    });
  }

  /** GET /api/v1/stats/{dimension}?period=&date=&from=&to=&areaCode=&orderBy=&limit=&offset= — the ranking (排名). */
  public void ranking(Exchange exchange) {
    handle(exchange, () -> {
      List<Violation> bad = new ArrayList<>();
      Ask ask = ask(exchange, bad);
      String orderBy = orderBy(exchange, ask.dimension(), bad);
      int limit = HttpReply.number(exchange, "limit", 1000, 1, 100_000, bad);
      int offset = HttpReply.number(exchange, "offset", 0, 0, Integer.MAX_VALUE, bad);
      refuseIf(bad);
      List<StatsService.Ranked> ranked = service.ranking(ask.dimension(), ask.scope(), ask.period(), orderBy);
      ObjectNode body = frame(ask);
      body.put("orderBy", orderBy);
      body.put("total", ranked.size());
      body.put("limit", limit);
      body.put("offset", offset);
      ArrayNode items = body.putArray("items");
      ranked.stream().skip(offset).limit(limit).forEach(r -> {
        ObjectNode item = items.addObject();
        if (r.rank() == null) {
          item.putNull("rank");
        } else {
          item.put("rank", r.rank());
        }
        item.setAll(r.figures().toJson(tagLabels));
      });
      HttpReply.json(exchange, 200, body);
    });
  }

  /** GET /api/v1/stats/export/{dimension}?format=csv|xlsx&... — the ranking as a file to publish (002 第十五条). */
  public void export(Exchange exchange) {
    handle(exchange, () -> {
      List<Violation> bad = new ArrayList<>();
      Ask ask = ask(exchange, bad);
      String orderBy = orderBy(exchange, ask.dimension(), bad);
      String format = HttpReply.query(exchange, "format") == null ? "csv" : HttpReply.query(exchange, "format").toLowerCase(Locale.ROOT);
      if (!format.equals("csv") && !format.equals("xlsx")) {
        bad.add(Violation.invalid("format", "enum", "format 须为 csv 或 xlsx", "format must be csv or xlsx"));
      }
      refuseIf(bad);
      List<StatsService.Ranked> ranked = service.ranking(ask.dimension(), ask.scope(), ask.period(), orderBy);
      String name = "hcp-" + ask.dimension().path() + "-" + (ask.scope().all() ? "all" : ask.scope().code()) + "-"
          + ask.period().from() + "_" + ask.period().to() + "." + format;
      Message m = exchange.getMessage();
      m.removeHeaders("*");
      m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
      m.setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
      if (format.equals("csv")) {
        m.setHeader(Exchange.CONTENT_TYPE, "text/csv;charset=UTF-8");
        m.setBody(StatsExport.csv(ranked));
      } else {
        m.setHeader(Exchange.CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        m.setBody(StatsExport.xlsx(ask.dimension().label(), ranked));
      }
    });
  }

  /** GET /api/v1/stats/hall-registry */
  public void halls(Exchange exchange) {
    handle(exchange, () -> {
      ObjectNode body = Json.MAPPER.createObjectNode();
      ArrayNode items = body.putArray("items");
      halls.list().forEach(h -> items.add(Json.MAPPER.valueToTree(h)));
      HttpReply.json(exchange, 200, body);
    });
  }

  /** PUT /api/v1/stats/hall-registry/{hallCode} {name, areaCode, deptCode, active} */
  public void putHall(Exchange exchange) {
    handle(exchange, () -> {
      String hallCode = exchange.getMessage().getHeader("hallCode", String.class);
      JsonNode b = body(exchange);
      List<Violation> bad = new ArrayList<>();
      if (hallCode == null || hallCode.isBlank() || hallCode.length() > 64) {
        bad.add(Violation.invalid("hallCode", "length", "大厅代码为1至64个字符", "hallCode has 1 to 64 characters"));
      }
      String name = text(b, "name");
      if (name == null || name.isBlank() || name.length() > 256) {
        bad.add(Violation.invalid("name", "required", "须给出大厅名称（最多256字）", "name is required (at most 256 characters)"));
      }
      String areaCode = text(b, "areaCode");
      if (areaCode == null || !areaCode.matches("\\d{12}")) {
        bad.add(Violation.invalid("areaCode", "areaCode", "areaCode 应为12位行政区划代码，如 440881000000",
            "areaCode must be a 12-digit area code such as 440881000000"));
      }
      String deptCode = text(b, "deptCode");
      if (deptCode != null && deptCode.length() > 64) {
        bad.add(Violation.invalid("deptCode", "length", "deptCode 最多64个字符", "deptCode has at most 64 characters"));
      }
      JsonNode active = b.get("active");
      if (active != null && !active.isNull() && !active.isBoolean()) {
        bad.add(Violation.invalid("active", "type", "active 应为布尔值 true 或 false", "active must be true or false"));
      }
      refuseIf(bad);
      boolean created = halls.put(hallCode, name.strip(), areaCode, deptCode == null || deptCode.isBlank() ? null : deptCode.strip(),
          active == null || active.isNull() || active.asBoolean());
      HttpReply.json(exchange, created ? 201 : 200, halls.find(hallCode).orElseThrow());
    });
  }

  /** POST /api/v1/stats/backfill — counts what the ledger holds and the statistics do not, in the background. */
  public void startBackfill(Exchange exchange) {
    handle(exchange, () -> {
      if (!backfill.start()) {
        HttpReply.problem(exchange, Problem.of(409, "BACKFILL_RUNNING", "补算正在进行", "A backfill is running",
            "请稍后查看 GET /api/v1/stats/backfill / see GET /api/v1/stats/backfill"));
        return;
      }
      HttpReply.json(exchange, 202, backfill.status());
    });
  }

  /** GET /api/v1/stats/backfill */
  public void backfillStatus(Exchange exchange) {
    handle(exchange, () -> HttpReply.json(exchange, 200, backfill.status()));
  }

  // --- parameters ----------------------------------------------------------------------------

  private Ask ask(Exchange exchange, List<Violation> bad) {
    String dim = exchange.getMessage().getHeader("dimension", String.class);
    Dimension d = Dimension.ofPath(dim).orElse(null);
    if (d == null) {
      bad.add(Violation.invalid("dimension", "enum", "统计维度须为 item、agency、staff、businessLine、region、hall、channel 之一",
          "the dimension must be item, agency, staff, businessLine, region, hall or channel"));
    }
    Period p = Period.parse(HttpReply.query(exchange, "period"), HttpReply.query(exchange, "date"), HttpReply.query(exchange, "from"), HttpReply.query(exchange, "to"),
        LocalDate.now(clock.withZone(org.haochaping.gateway.model.ChinaTime.ZONE)), bad);
    String area = HttpReply.query(exchange, "areaCode");
    AreaScope scope = area == null ? AreaScope.ALL : AreaScope.of(area).orElse(null);
    if (scope == null) {
      bad.add(Violation.invalid("areaCode", "areaCode", "areaCode 应为12位行政区划代码，如 440881000000（覆盖其下所有地区）",
          "areaCode must be a 12-digit area code such as 440881000000 (covering every area under it)"));
    }
    return new Ask(d, p, scope);
  }

  private String orderBy(Exchange exchange, Dimension d, List<Violation> bad) {
    String orderBy = HttpReply.query(exchange, "orderBy");
    if (orderBy == null) {
      return (d == Dimension.AGENCY || d == Dimension.REGION) && service.rules().composite() != null ? "composite" : "score";
    }
    if (!UnitFigures.ORDERS.contains(orderBy)) {
      bad.add(Violation.invalid("orderBy", "enum", "orderBy 须为以下之一：" + UnitFigures.ORDERS, "orderBy must be one of " + UnitFigures.ORDERS));
    }
    return orderBy;
  }

  private ObjectNode frame(Ask ask) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("profile", profile);
    o.putObject("period").put("kind", ask.period().kind()).put("from", ask.period().from().toString()).put("to", ask.period().to().toString());
    if (ask.scope().all()) {
      o.putNull("areaCode");
    } else {
      o.put("areaCode", ask.scope().code());
      o.put("areaLevel", ask.scope().level());
    }
    return o;
  }

  private static boolean isChannel(String code) {
    for (Channel c : Channel.values()) {
      if (c.name().equals(code)) {
        return true;
      }
    }
    return false;
  }

  private static void refuseIf(List<Violation> bad) {
    if (!bad.isEmpty()) {
      throw new Refusal(Problem.validation(bad));
    }
  }

  private static JsonNode body(Exchange exchange) {
    if (!"application/json".equals(HttpReply.mediaType(exchange))) {
      throw new Refusal(Problem.unsupportedMediaType(HttpReply.mediaType(exchange), "application/json"));
    }
    try {
      JsonNode node = HttpReply.parse(HttpReply.body(exchange));
      if (!node.isObject()) {
        throw new Refusal(Problem.malformedJson("请求体应为JSON对象 / the body must be a JSON object"));
      }
      return node;
    } catch (HttpReply.BadJson e) {
      throw new Refusal(Problem.malformedJson(e.getMessage()));
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** A request refused with a problem document. */
  private static final class Refusal extends RuntimeException {
    private final transient Problem problem;

    Refusal(Problem problem) {
      super(problem.title());
      this.problem = problem;
    }
  }

  @FunctionalInterface
  private interface Action {
    void run();
  }

  private static void handle(Exchange exchange, Action action) {
    try {
      action.run();
    } catch (Refusal e) {
      HttpReply.problem(exchange, e.problem);
    } catch (StoreException e) {
      LOG.warn("Statistics request not answered, database: {}", e.getMessage(), e.getCause());
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }
}
