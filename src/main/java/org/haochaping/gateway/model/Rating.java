package org.haochaping.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical rating (DESIGN §3, mappings/schema/rating.v1.schema.json). Every channel is mapped
 * to this before any rule runs. {@code score} is derived from {@code level}; {@code ratingId} and
 * {@code receivedAt} are assigned by the gateway. {@code questionnaire} holds the answers to the
 * service item's questionnaire (000 第八条, docs/questionnaires.md): question id to a choice code, a
 * list of choice codes, a score 1..5 or a text; null when none was answered. It never reaches the province.
 */
public record Rating(
    String ratingId,
    String sourceRef,
    String caseNo,
    int assessNumber,
    Stage stage,
    Channel channel,
    Level level,
    int score,
    List<String> tags,
    String comment,
    Target target,
    Person evaluator,
    String visitId,
    OffsetDateTime ratedAt,
    OffsetDateTime receivedAt,
    boolean defaulted,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> questionnaire) {

  @JsonCreator
  public Rating {
    tags = tags == null ? List.of() : List.copyOf(tags);
    questionnaire = questionnaire == null || questionnaire.isEmpty() ? null
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(questionnaire));
  }

  /** A rating without questionnaire answers: what every channel but the online ones produces. */
  public Rating(String ratingId, String sourceRef, String caseNo, int assessNumber, Stage stage, Channel channel, Level level,
      int score, List<String> tags, String comment, Target target, Person evaluator, String visitId, OffsetDateTime ratedAt,
      OffsetDateTime receivedAt, boolean defaulted) {
    this(ratingId, sourceRef, caseNo, assessNumber, stage, channel, level, score, tags, comment, target, evaluator, visitId,
        ratedAt, receivedAt, defaulted, null);
  }

  @JsonIgnore
  public boolean isBad() {
    return level.isBad();
  }
}
