package org.haochaping.gateway.store;

import org.haochaping.gateway.broker.RatingCodec;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.ops.IngestMetrics;
import org.haochaping.gateway.policy.RatingIdentity;

/**
 * The {@code ledger} consumer's bean: each message from the broker is written to the rating table
 * together with the others arriving at the same time, and acknowledged only after the commit.
 */
public final class LedgerRecorder implements AutoCloseable {

  private final RatingCodec codec;
  private final GroupCommit<Rating, Void> group;

  public LedgerRecorder(RatingLedger ledger, RatingCodec codec, IngestMetrics metrics, int maxBatch) {
    this.codec = codec;
    this.group = new GroupCommit<>("hcp-ledger-writer", maxBatch, GroupCommit.BEHIND_BROKER_LINGER_MICROS, ratings -> {
      ledger.record(ratings, ratings.stream().map(RatingIdentity::naturalKey).toList());
      // Every rating of the batch is in the table now, whether this insert or province forwarding
      // (which stores a rating it meets first) wrote the row: count them all, or the figure falls
      // short of the ratings accepted and looks like a loss.
      metrics.recorded(ratings.size());
      return null;
    });
  }

  /** Returns once the rating in {@code body} is committed; throws (and the broker redelivers) when it cannot be. */
  public void record(byte[] body) throws InterruptedException {
    group.write(codec.decode(body));
  }

  @Override
  public void close() {
    group.close();
  }
}
