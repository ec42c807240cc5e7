package org.haochaping.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.store.IdempotencyKeys.Claim;
import org.haochaping.gateway.store.IdempotencyKeys.Request;
import org.haochaping.gateway.support.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims of a whole batch handed in at once ({@link IdempotencyKeys#claimAll}, what a batch of ratings
 * of different cases uses) answer as claims one at a time would, in the order given: the first of two
 * with one key holds it, the second is its replay or its conflict.
 */
@Tag("db")
class IdempotencyKeysTest {

  @TempDir
  Path dir;

  @Test
  void claimsHandedInTogetherAnswerInOrderAsOneAtATimeWould() throws Exception {
    try (TestDatabase test = TestDatabase.create(); Database db = Database.open(test.url(), test.user(), test.password(), dir, 2);
        IdempotencyKeys keys = new IdempotencyKeys(db, Clock.systemUTC())) {
      assertThat(keys.claim("K-EARLIER", "h1", "r-earlier").kind()).isEqualTo(Claim.Kind.NEW);

      // more than one writer batch (512) of new keys, with replays and conflicts among them
      List<Request> requests = new ArrayList<>();
      for (int i = 0; i < 1_200; i++) {
        requests.add(new Request("K-" + i, "h", "r-" + i));
      }
      requests.add(new Request("K-EARLIER", "h1", "r-again"));   // same content as the earlier claim: replay
      requests.add(new Request("K-EARLIER", "h2", "r-other"));   // other content: conflict
      requests.add(new Request("K-7", "h", "r-7-again"));        // the batch's own key, same content: replay
      requests.add(new Request("K-8", "other", "r-8-other"));    // the batch's own key, other content: conflict

      List<Claim> claims = keys.claimAll(requests);

      assertThat(claims).hasSize(requests.size());
      for (int i = 0; i < 1_200; i++) {
        assertThat(claims.get(i)).isEqualTo(new Claim(Claim.Kind.NEW, "r-" + i));
      }
      assertThat(claims.subList(1_200, 1_204)).containsExactly(
          new Claim(Claim.Kind.REPLAY, "r-earlier"),
          new Claim(Claim.Kind.CONFLICT, "r-earlier"),
          new Claim(Claim.Kind.REPLAY, "r-7"),
          new Claim(Claim.Kind.CONFLICT, "r-8"));
      assertThat(keys.claimedAt("r-1199")).isPresent();
      assertThat(keys.claimedAt("r-7-again")).isEmpty();
    }
  }

  @Test
  void aRefusedWriteFailsTheBatchAndTheWriterGoesOn() throws Exception {
    try (TestDatabase test = TestDatabase.create(); Database db = Database.open(test.url(), test.user(), test.password(), dir, 2);
        IdempotencyKeys keys = new IdempotencyKeys(db, Clock.systemUTC())) {
      // a natural key longer than the column: the database refuses the transaction it is written in
      List<Request> requests = List.of(new Request("K-FINE", "h", "r-fine"), new Request("K".repeat(5_000), "h", "r-long"));
      assertThatThrownBy(() -> keys.claimAll(requests)).isInstanceOf(StoreException.class);
      assertThat(keys.claimedAt("r-long")).isEmpty();
      // the writer goes on
      assertThat(keys.claimAll(List.of(new Request("K-NEXT", "h", "r-next")))).containsExactly(new Claim(Claim.Kind.NEW, "r-next"));
    }
  }
}
