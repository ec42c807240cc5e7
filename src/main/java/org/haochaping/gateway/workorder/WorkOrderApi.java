package org.haochaping.gateway.workorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.model.WorkOrderState;
import org.haochaping.gateway.policy.Deadlines;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.policy.WorkOrderPolicy;
import org.haochaping.gateway.store.StoreException;

/**
 * {@code /api/v1/workorders}: the 差评工单 list with filters, one work order with its history, transitions
 * (with actor and notes), the Guangxi explanation, appeals and their verification. The evaluator is
 * never shown.
 */
public final class WorkOrderApi {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkOrderApi.class);

  private final WorkOrders workOrders;
  private final WorkOrderPolicy policy;

  public WorkOrderApi(WorkOrders workOrders, WorkOrderPolicy policy) {
    this.workOrders = workOrders;
    this.policy = policy;
  }

  /** GET /api/v1/workorders?state=&deptCode=&caseNo=&staffId=&overdue=&limit=&offset= */
  public void list(Exchange exchange) {
    handle(exchange, () -> {
      List<Violation> bad = new ArrayList<>();
      String stateText = HttpReply.query(exchange, "state");
      WorkOrderState state = WorkOrderState.parse(stateText);
      if (stateText != null && state == null) {
        bad.add(Violation.invalid("state", "enum", "state 不是工单状态：" + stateText, "state is not a work-order state: " + stateText));
      }
      String overdueText = HttpReply.query(exchange, "overdue");
      Boolean overdue = overdueText == null ? null : "true".equalsIgnoreCase(overdueText) ? Boolean.TRUE
          : "false".equalsIgnoreCase(overdueText) ? Boolean.FALSE : null;
      if (overdueText != null && overdue == null) {
        bad.add(Violation.invalid("overdue", "type", "overdue 应为 true 或 false", "overdue must be true or false"));
      }
      int limit = HttpReply.number(exchange, "limit", 50, 1, 500, bad);
      int offset = HttpReply.number(exchange, "offset", 0, 0, Integer.MAX_VALUE, bad);
      if (!bad.isEmpty()) {
        throw Refused.of(bad);
      }
      WorkOrders.Page page = workOrders.list(new WorkOrders.Filter(state, HttpReply.query(exchange, "deptCode"), HttpReply.query(exchange, "caseNo"),
          HttpReply.query(exchange, "staffId"), overdue, limit, offset));
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.put("total", page.total()).put("limit", page.limit()).put("offset", page.offset());
      var items = body.putArray("items");
      page.items().forEach(w -> items.add(view(w)));
      HttpReply.json(exchange, 200, body);
    });
  }

  /** GET /api/v1/workorders/{id} */
  public void one(Exchange exchange) {
    handle(exchange, () -> {
      String id = exchange.getMessage().getHeader("id", String.class);
      WorkOrder wo = workOrders.find(id).orElseThrow(() -> Refused.notFound("没有工单 " + id, "no work order " + id));
      HttpReply.json(exchange, 200, view(wo));
    });
  }

  /** POST /api/v1/workorders/{id}/transitions {to, actor, notes, result} */
  public void transition(Exchange exchange) {
    handle(exchange, () -> {
      JsonNode b = body(exchange);
      reply(exchange, workOrders.transition(id(exchange), text(b, "to"), text(b, "actor"), text(b, "notes"), text(b, "result")));
    });
  }

  /** POST /api/v1/workorders/{id}/explanation {actor, reason, rectifyBy} (002 第十四条) */
  public void explain(Exchange exchange) {
    handle(exchange, () -> {
      JsonNode b = body(exchange);
      reply(exchange, workOrders.explain(id(exchange), text(b, "actor"), text(b, "reason"), text(b, "rectifyBy")));
    });
  }

  /** POST /api/v1/workorders/{id}/appeal {actor, reason, notes} */
  public void appeal(Exchange exchange) {
    handle(exchange, () -> {
      JsonNode b = body(exchange);
      reply(exchange, workOrders.appeal(id(exchange), text(b, "actor"), text(b, "reason"), text(b, "notes")));
    });
  }

  /** POST /api/v1/workorders/{id}/appeal/decision {actor, upheld, notes} */
  public void decideAppeal(Exchange exchange) {
    handle(exchange, () -> {
      JsonNode b = body(exchange);
      JsonNode upheld = b.get("upheld");
      if (upheld != null && !upheld.isNull() && !upheld.isBoolean()) {
        throw Refused.of(List.of(Violation.invalid("upheld", "type", "upheld 应为布尔值 true 或 false", "upheld must be true or false")));
      }
      reply(exchange, workOrders.decideAppeal(id(exchange), text(b, "actor"),
          upheld == null || upheld.isNull() ? null : upheld.asBoolean(), text(b, "notes")));
    });
  }

  private void reply(Exchange exchange, WorkOrder wo) {
    HttpReply.json(exchange, 200, view(wo));
  }

  /** The work order as people read it: the record, labels, the last days of its deadlines, where it may go next. */
  ObjectNode view(WorkOrder w) {
    ObjectNode v = Json.MAPPER.valueToTree(w);
    v.put("stateLabel", w.state().label());
    if (w.rectifyDueAt() != null) {
      v.put("rectifyLastDay", Deadlines.dayOf(w.rectifyDueAt()).toString());
    }
    if (w.reportDueAt() != null) {
      v.put("reportLastDay", Deadlines.dayOf(w.reportDueAt()).toString());
    }
    var next = v.putArray("allowedTransitions");
    policy.next(w.state()).forEach(s -> next.add(s.name()));
    return v;
  }

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  private static void handle(Exchange exchange, Action action) {
    try {
      action.run();
    } catch (Refused e) {
      HttpReply.problem(exchange, e.problem());
    } catch (StoreException e) {
      LOG.warn("Work-order request not done, database: {}", e.getMessage(), e.getCause());
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String id(Exchange exchange) {
    return exchange.getMessage().getHeader("id", String.class);
  }

  static JsonNode body(Exchange exchange) {
    if (!"application/json".equals(HttpReply.mediaType(exchange))) {
      throw new Refused(Problem.unsupportedMediaType(HttpReply.mediaType(exchange), "application/json"));
    }
    try {
      JsonNode node = HttpReply.parse(HttpReply.body(exchange));
      if (!node.isObject()) {
        throw new Refused(Problem.malformedJson("请求体应为JSON对象 / the body must be a JSON object"));
      }
      return node;
    } catch (HttpReply.BadJson e) {
      throw new Refused(Problem.malformedJson(e.getMessage()));
    }
  }

  static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
