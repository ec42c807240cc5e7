package org.haochaping.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The canonical rating (DESIGN §3, mappings/schema/rating.v1.schema.json). Every channel is mapped
 * to this before any rule runs. {@code score} is derived from {@code level}; {@code ratingId} and
 * {@code receivedAt} are assigned by the gateway.
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
    boolean defaulted) {

  public Rating {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  @JsonIgnore
  public boolean isBad() {
    return level.isBad();
  }
}
