package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class ProvinceLedgerTest {

  private static JsonNode record(String projectNo, int n) {
    return JsonNodeFactory.instance.objectNode().put("projectNo", projectNo).put("n", n);
  }

  @Test
  void keepingTheLatestRecordsLeavesTheChecksAndCountersExact() {
    ProvinceLedger ledger = new ProvinceLedger(Clock.systemUTC());
    ledger.keepLatest(2);
    for (int c = 1; c <= 3; c++) {
      assertThat(ledger.acceptCase("P" + c, record("P" + c, 0))).isEqualTo(ProvinceLedger.Outcome.ACCEPTED);
    }
    for (int e = 1; e <= 3; e++) {
      assertThat(ledger.acceptEvaluation("P1", "1", Integer.toString(e), record("P1", e))).isEqualTo(ProvinceLedger.Outcome.ACCEPTED);
    }

    assertThat(ledger.cases()).extracting(r -> r.record().path("projectNo").asText()).containsExactly("P2", "P3");
    assertThat(ledger.evaluations()).extracting(r -> r.record().path("n").asInt()).containsExactly(2, 3);
    // the first case and evaluation are no longer listed, but still known
    assertThat(ledger.knowsCase("P1")).isTrue();
    assertThat(ledger.acceptCase("P1", record("P1", 9))).isEqualTo(ProvinceLedger.Outcome.UPDATED);
    assertThat(ledger.acceptEvaluation("P1", "1", "1", record("P1", 1))).isEqualTo(ProvinceLedger.Outcome.DUPLICATE);
    assertThat(ledger.acceptEvaluation("P1", "1", "1", record("P1", 7))).isEqualTo(ProvinceLedger.Outcome.DUPLICATE);
    assertThat(ledger.acceptEvaluation("P9", "1", "1", record("P9", 1))).isEqualTo(ProvinceLedger.Outcome.UNKNOWN_CASE);

    ProvinceLedger.Stats stats = ledger.stats();
    assertThat(stats.casesAccepted()).isEqualTo(3);
    assertThat(stats.caseUpdates()).isEqualTo(1);
    assertThat(stats.evaluationsAccepted()).isEqualTo(3);
    assertThat(stats.duplicatesAttempted()).isEqualTo(2);
    assertThat(stats.identicalResends()).isEqualTo(1);
  }
}
