package org.haochaping.gateway.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.haochaping.gateway.model.Masking;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.store.StoreException;

/** The REST face of case intake: {@code /api/v1/cases}. */
public final class CaseApi {

  /**
   * What a completed case's answer may carry besides the case: a module (channel/qr) answers a
   * self-service terminal's completion with the dynamic QR link (000 第十四条). Null: nothing.
   */
  public interface CompletionLink {
    Map<String, Object> ratingLinkFor(ServiceCase completed);
  }

  private final CaseIntake intake;
  private volatile CompletionLink completionLink = c -> null;

  public CaseApi(CaseIntake intake) {
    this.intake = intake;
  }

  public void onCompletion(CompletionLink link) {
    this.completionLink = link;
  }

  /** POST /api/v1/cases: 201 when new, 200 when it replaced what the gateway held. */
  public void push(Exchange exchange) {
    JsonNode document = readObject(exchange);
    if (document == null) {
      return;
    }
    try {
      CaseIntake.Outcome o = intake.push(document);
      reply(exchange, o, o.status() == CaseIntake.Outcome.Status.CREATED ? 201 : 200);
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** POST /api/v1/cases/{caseNo}/events. */
  public void event(Exchange exchange) {
    JsonNode document = readObject(exchange);
    if (document == null) {
      return;
    }
    try {
      reply(exchange, intake.event(exchange.getMessage().getHeader("caseNo", String.class), document), 200);
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** GET /api/v1/cases/{caseNo}: the case as stored, applicant masked. */
  public void find(Exchange exchange) {
    String caseNo = exchange.getMessage().getHeader("caseNo", String.class);
    try {
      intake.find(caseNo).ifPresentOrElse(
          c -> HttpReply.json(exchange, 200, view(c)),
          () -> HttpReply.problem(exchange, Problem.notFound("没有办件 " + caseNo + " / no case " + caseNo)));
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  private void reply(Exchange exchange, CaseIntake.Outcome o, int okStatus) {
    if (o.problem() != null) {
      HttpReply.problem(exchange, o.problem());
    } else {
      Map<String, Object> v = view(o.serviceCase());
      Map<String, Object> link = o.serviceCase().isCompleted() ? completionLink.ratingLinkFor(o.serviceCase()) : null;
      if (link != null) {
        v.put("ratingLink", link);
      }
      HttpReply.json(exchange, okStatus, v);
    }
  }

  private static JsonNode readObject(Exchange exchange) {
    if (!"application/json".equals(HttpReply.mediaType(exchange))) {
      HttpReply.problem(exchange, Problem.unsupportedMediaType(HttpReply.mediaType(exchange), "application/json"));
      return null;
    }
    try {
      JsonNode document = HttpReply.parse(HttpReply.body(exchange));
      if (!document.isObject()) {
        HttpReply.problem(exchange, Problem.malformedJson("请求体应为JSON对象 / the body must be a JSON object"));
        return null;
      }
      return document;
    } catch (HttpReply.BadJson e) {
      HttpReply.problem(exchange, Problem.malformedJson(e.getMessage()));
      return null;
    }
  }

  /** What a caller sees of a case: everything but the applicant, who is masked. */
  static Map<String, Object> view(ServiceCase c) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("caseNo", c.caseNo());
    v.put("status", c.status());
    v.put("taskCode", c.taskCode());
    v.put("itemName", c.itemName());
    v.put("deptCode", c.deptCode());
    v.put("deptName", c.deptName());
    v.put("areaCode", c.areaCode());
    v.put("hallCode", c.hallCode());
    v.put("windowNo", c.windowNo());
    v.put("staffId", c.staffId());
    v.put("mode", c.mode());
    v.put("projectType", c.projectType());
    v.put("acceptedAt", c.acceptedAt());
    v.put("completedAt", c.completedAt());
    v.put("promiseDays", c.promiseDays());
    v.put("visitId", c.visitId());
    v.put("themeId", c.themeId());
    Person a = c.applicant();
    if (a != null) {
      Map<String, Object> masked = new LinkedHashMap<>();
      masked.put("name", Masking.name(a.name()));
      masked.put("mobile", Masking.mobile(a.mobile()));
      masked.put("idNo", Masking.idNo(a.idNo()));
      v.put("applicant", masked);
    }
    v.values().removeIf(java.util.Objects::isNull);
    return v;
  }
}
