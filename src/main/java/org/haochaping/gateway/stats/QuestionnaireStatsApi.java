package org.haochaping.gateway.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.policy.Questionnaire;
import org.haochaping.gateway.policy.Questionnaires;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.QuestionnaireAnswers;
import org.haochaping.gateway.store.StoreException;

/**
 * {@code GET /api/v1/stats/questionnaires[/{taskCode}]}: what citizens answered to a service item's
 * questionnaire (000 第八条) in a period — counts per choice, the mean of score questions, how many
 * wrote a text (never the texts, never who answered). Same period parameters as the other figures;
 * behind the admin token like them (VIEWER reads).
 */
public final class QuestionnaireStatsApi {

  private final Questionnaires questionnaires;
  private final QuestionnaireAnswers answers;
  private final Clock clock;

  public QuestionnaireStatsApi(Questionnaires questionnaires, QuestionnaireAnswers answers, Clock clock) {
    this.questionnaires = questionnaires;
    this.answers = answers;
    this.clock = clock;
  }

  /** GET /api/v1/stats/questionnaires?period=&date=&from=&to= — the items that have a questionnaire. */
  public void list(Exchange exchange) {
    Period p = period(exchange);
    if (p == null) {
      return;
    }
    try {
      ObjectNode body = frame(p);
      ArrayNode items = body.putArray("items");
      for (Questionnaire q : questionnaires.all()) {
        ObjectNode item = items.addObject();
        item.put("taskCode", q.taskCode()).put("itemName", q.itemName()).put("title", q.title());
        item.put("ratingsAnswered", answers.ratingsByLevel(q.taskCode(), start(p), end(p)).values().stream().mapToLong(Long::longValue).sum());
      }
      HttpReply.json(exchange, 200, body);
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  /** GET /api/v1/stats/questionnaires/{taskCode}?period=&date=&from=&to= — one item's summary. */
  public void item(Exchange exchange) {
    String taskCode = exchange.getMessage().getHeader("taskCode", String.class);
    Questionnaire q = questionnaires.forItem(taskCode).orElse(null);
    if (q == null) {
      HttpReply.problem(exchange, Problem.notFound("服务事项 " + taskCode + " 没有评价问询表单 / service item " + taskCode + " has no questionnaire"));
      return;
    }
    Period p = period(exchange);
    if (p == null) {
      return;
    }
    try {
      Map<String, QuestionnaireAnswers.QuestionSummary> summary = answers.summary(q.taskCode(), start(p), end(p));
      Map<String, Long> byLevel = answers.ratingsByLevel(q.taskCode(), start(p), end(p));
      ObjectNode body = frame(p);
      body.put("taskCode", q.taskCode()).put("itemName", q.itemName()).put("title", q.title());
      body.put("ratingsAnswered", byLevel.values().stream().mapToLong(Long::longValue).sum());
      ObjectNode levels = body.putObject("ratingsAnsweredByLevel");
      for (Level l : Level.values()) {
        levels.put(l.name(), byLevel.getOrDefault(l.name(), 0L));
      }
      ArrayNode questions = body.putArray("questions");
      for (Questionnaire.Question question : q.questions()) {
        QuestionnaireAnswers.QuestionSummary s = summary.get(question.id());
        ObjectNode o = questions.addObject();
        o.put("id", question.id()).put("text", question.text()).put("type", question.type().code());
        ArrayNode asked = o.putArray("levels");
        question.levels().stream().sorted().forEach(l -> asked.add(l.name()));
        o.put("answered", s == null ? 0 : s.answered());
        switch (question.type()) {
          case SINGLE, MULTIPLE -> {
            ArrayNode choices = o.putArray("choices");
            for (Questionnaire.Choice c : question.choices()) {
              choices.addObject().put("code", c.code()).put("label", c.label())
                  .put("count", s == null ? 0 : s.choices().getOrDefault(c.code(), 0L));
            }
          }
          case SCORE -> {
            if (s == null || s.meanScore() == null) {
              o.putNull("meanScore");
            } else {
              o.put("meanScore", s.meanScore());
            }
          }
          // Texts are citizen words, read with their rating; the statistics only count them.
          case TEXT -> o.put("texts", s == null ? 0 : s.texts());
        }
      }
      HttpReply.json(exchange, 200, body);
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  private Period period(Exchange exchange) {
    List<Violation> bad = new ArrayList<>();
    Period p = Period.parse(HttpReply.query(exchange, "period"), HttpReply.query(exchange, "date"), HttpReply.query(exchange, "from"),
        HttpReply.query(exchange, "to"), LocalDate.now(clock.withZone(ChinaTime.ZONE)), bad);
    if (!bad.isEmpty() || p == null) {
      HttpReply.problem(exchange, Problem.validation(bad));
      return null;
    }
    return p;
  }

  private static OffsetDateTime start(Period p) {
    return p.from().atStartOfDay(ChinaTime.ZONE).toOffsetDateTime();
  }

  private static OffsetDateTime end(Period p) {
    return p.to().plusDays(1).atStartOfDay(ChinaTime.ZONE).toOffsetDateTime();
  }

  private static ObjectNode frame(Period p) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.putObject("period").put("kind", p.kind()).put("from", p.from().toString()).put("to", p.to().toString());
    return o;
  }
}
