package org.haochaping.gateway.channel.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.Rows;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The guide's format read through guangxi's tables: satisfaction runs the other way (1 = 非常满意),
 * pf 3 is the mini-program, and serviceNumber 2 is the 受理 stage of a 套餐 (002 第十条).
 */
@Tag("db")
class GuideFormatGuangxiRouteTest extends GatewayTestSupport {

  @Override
  protected String profile() {
    return "guangxi";
  }

  private Map<String, Object> rated(ObjectNode evaluation) {
    Api.Response r = api.post("/api/v1/guide/evaluations", evaluation);
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    Database db = bean("database", Database.class);
    return await().atMost(Duration.ofSeconds(10)).until(() -> Rows.rating(db, r.json().get("ratingId").asText()), x -> x != null);
  }

  @Test
  void satisfactionPfAndServiceNumberFollowGuangxisTables() {
    Map<String, Object> c = Fixtures.completedCase("GX-1");
    c.put("acceptedAt", "2026-11-20T09:00:00+08:00");
    c.put("completedAt", "2026-11-21T10:00:00+08:00");
    c.put("areaCode", "450100000000");
    assertThat(api.post("/api/v1/cases", c).status()).isEqualTo(201);

    ObjectNode overall = GuideFormatRouteTest.example("guide-evaluation");
    overall.put("projectNo", "GX-1");
    overall.put("satisfaction", "2");
    overall.put("evalDetail", "A01");
    overall.put("pf", "3");
    overall.put("assessTime", "2026-11-23 09:00:00");
    overall.remove("areaCode");
    overall.put("dataSource", "450");
    Map<String, Object> row = rated(overall);
    assertThat(row).containsEntry("level", "SATISFIED").containsEntry("channel", "MINI_PROGRAM").containsEntry("stage", "OVERALL")
        .containsEntry("tags", "A01");

    ObjectNode accept = overall.deepCopy();
    accept.put("satisfaction", "5");
    accept.put("evalDetail", "B05");
    accept.put("serviceNumber", "2");
    Map<String, Object> stage = rated(accept);
    assertThat(stage).containsEntry("level", "VERY_DISSATISFIED").containsEntry("stage", "ACCEPT")
        .containsEntry("source_ref", "guide:GX-1:1:2");
  }
}
