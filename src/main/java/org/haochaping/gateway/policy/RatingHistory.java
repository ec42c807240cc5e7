package org.haochaping.gateway.policy;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.haochaping.gateway.model.ServiceCase;

/**
 * What the gateway already accepted, as the rules that depend on earlier ratings need it: the
 * follow-up window (000 第二十一条), the batch visit rated once (000 第十八条) and the theme rated
 * overall (000 第十九条, 002 第十条). Answered from the idempotency keys, which are written before
 * a rating is acknowledged, so every node sees a rating as soon as its sender got 202.
 */
public interface RatingHistory {

  /** A natural key already claimed: by which rating and when the gateway accepted it. */
  record Claimed(String ratingId, OffsetDateTime at) {}

  /** Who holds {@code naturalKey} (see {@link RatingIdentity}), if anyone. */
  Optional<Claimed> claimed(String naturalKey);

  /** The other cases of {@code c}'s visit with the same item (batch: same item twice or more in one visit). */
  List<String> batchSiblings(ServiceCase c);

  /** Every case of the theme (一件事) {@code themeId}, the theme's own case included if it was pushed. */
  List<String> themeMembers(String themeId);

  /** A history that knows nothing: the rules that need history are not checked. */
  RatingHistory UNKNOWN = new RatingHistory() {
    @Override
    public Optional<Claimed> claimed(String naturalKey) {
      return Optional.empty();
    }

    @Override
    public List<String> batchSiblings(ServiceCase c) {
      return List.of();
    }

    @Override
    public List<String> themeMembers(String themeId) {
      return List.of();
    }
  };
}
