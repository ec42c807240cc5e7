package org.haochaping.gateway.tmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

class BatchAbTest extends GatewayTestSupport {
  @Test
  void post() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int round = 0; round < 3; round++) {
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int b = 0; b < 8; b++) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
          String caseNo = String.format("AB-%d-%d-%05d", round, b, i);
          Map<String, Object> rating = Fixtures.rating(caseNo, "VERY_SATISFIED");
          rating.put("case", Fixtures.completedCase(caseNo));
          items.add(rating);
        }
        Api.Response r = api.post("/api/v1/ratings/batch", items);
        assertThat(r.json().path("accepted").asInt()).isEqualTo(250);
      }
      System.out.printf("AB round %d: 2000 ratings in %d ms wall, %d ms CPU%n", round, (System.nanoTime() - t0) / 1_000_000,
          (os.getProcessCpuTime() - cpu0) / 1_000_000);
    }
  }
}
