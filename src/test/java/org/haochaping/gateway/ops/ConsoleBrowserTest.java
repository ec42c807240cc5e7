package org.haochaping.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.haochaping.gateway.sim.ProvinceSimulator;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.HeadlessBrowser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operations console in a real headless Chromium on a desktop screen, as the person on call uses
 * it: signs in with the admin token, sees every route and the province UP; the provincial simulator
 * stops and a rating comes in → the province check turns red with the reason, while the gateway stays
 * ready; the province returns → green again. A rating the province refuses (2001, no deptName) shows
 * in the dead-letter panel with its code and reason; once the case is fixed a click on 重放 Replay
 * forwards it and the entry leaves the queue; another is discarded with a typed reason that the audit
 * log keeps. Screenshots (1280 x 800 viewport) go to target/screenshots/; the ones in docs/images/
 * were taken by this test.
 */
@Tag("db")
class ConsoleBrowserTest extends GatewayTestSupport {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path SHOTS = Path.of("target", "screenshots");

  @BeforeEach
  void needsChromium() {
    HeadlessBrowser.requireOrSkip();
  }

  @Test
  void onCallPersonSeesTheProvinceGoRedAndBackAndReplaysAndDiscardsDeadLetters() {
    ProvinceSimulator province = bean("provinceSimulator", ProvinceSimulator.class);
    // Some traffic first, so the tables are not empty.
    api.post("/api/v1/cases", Fixtures.completedCase("CON-OK-1"));
    String first = rate("CON-OK-1");
    awaitStatus(first, "FORWARDED");

    try (HeadlessBrowser desk = HeadlessBrowser.desktop()) {
      desk.open(api.base() + "/console/");
      assertThat(desk.text("#banner")).contains("请输入管理令牌");
      // The console's sign-in: paste the token, 连接 Connect (it stays in this tab's sessionStorage).
      desk.type("#token", api.credential("admin.token"));
      desk.click("#login button[type=submit]");

      await("console shows all up").atMost(WAIT).until(() -> desk.text("#banner"), t -> t.contains("一切正常"));
      assertThat(desk.eval("document.querySelector('#banner').className").asText()).isEqualTo("banner up");
      // Every route the admin API knows is in the table, started, none red.
      int routes = api.admin().get("/api/v1/admin/routes").json().size();
      assertThat(routes).isPositive();
      assertThat(desk.eval("document.querySelectorAll('#routes tbody tr').length").asInt()).isEqualTo(routes);
      assertThat(desk.eval("document.querySelectorAll('#routes tbody tr.down').length").asInt()).isZero();
      // Started, except a route its configuration leaves off (no mailbox configured here), shown as such.
      assertThat(desk.eval("[...document.querySelectorAll('#routes tbody tr td:nth-child(2)')].every(td => td.textContent === 'Started'"
          + " || td.textContent.includes('未配置 not configured'))").asBoolean()).isTrue();
      assertThat(desk.text("#routes tr[data-route=ledger]")).contains("Started");
      assertThat(desk.text("#health tr[data-check=province] td.state")).isEqualTo("正常 UP");
      assertThat(desk.text("#health tr[data-check=province]")).contains("breaker=CLOSED");
      desk.screenshotViewport(SHOTS.resolve("console-all-up.png"));

      // The province goes away; a rating arrives and cannot be forwarded.
      province.stop();
      try {
        api.post("/api/v1/cases", Fixtures.completedCase("CON-DOWN-1"));
        String waiting = rate("CON-DOWN-1");
        await("province red on the console").atMost(WAIT).until(() -> desk.text("#health tr[data-check=province] td.state"),
            "降级 DEGRADED"::equals);
        String row = desk.text("#health tr[data-check=province]");
        assertThat(row).contains("原因 Reason: breaker").contains("省平台不可达");
        assertThat(desk.eval("document.querySelector('#health tr[data-check=province]').className").asText()).isEqualTo("down");
        assertThat(desk.text("#banner")).contains("可以接收评价，但有故障").contains("province DEGRADED");
        assertThat(api.unsigned().get("/observe/health/ready").status()).as("a far peer does not make the gateway unready")
            .isEqualTo(200);
        assertThat(api.get("/api/v1/ratings/" + waiting).json().path("status").asText()).isEqualTo("ACCEPTED");
        desk.screenshotViewport(SHOTS.resolve("console-province-down.png"));
      } finally {
        province.restart();
      }
      await("province green again").atMost(WAIT).until(() -> desk.text("#health tr[data-check=province] td.state"),
          "正常 UP"::equals);
      assertThat(api.get("/observe/health").json().path("degraded").size()).isZero();

      // Two ratings the province refuses for good: their cases lack deptName (2001).
      String replayed = refusedRating("CON-DLQ-1");
      String discarded = refusedRating("CON-DLQ-2");
      String entry = "#dlq tr[data-rating-id='" + replayed + "']";
      await("entries in the DLQ panel").atMost(WAIT).until(() -> desk.visible(entry)
          && desk.visible("#dlq tr[data-rating-id='" + discarded + "']"));
      assertThat(desk.text(entry)).contains("CON-DLQ-1").contains("REJECTED_BY_PROVINCE").contains("2001").contains("deptName");
      assertThat(desk.text("#dlq")).doesNotContain(Fixtures.MOBILE).doesNotContain(Fixtures.ID_NO);
      desk.eval("document.querySelector('#dlq-panel').scrollIntoView()");
      desk.screenshotViewport(SHOTS.resolve("console-dlq.png"));

      // The department fixes the case; the operator clicks 重放 Replay.
      assertThat(api.post("/api/v1/cases", Fixtures.completedCase("CON-DLQ-1")).status()).isEqualTo(200);
      desk.click(entry + " button.replay");
      awaitStatus(replayed, "FORWARDED");
      await("the replayed entry left the queue").atMost(WAIT).until(() -> !desk.visible(entry));

      // The other is given up: 丢弃 Discard asks for the reason first.
      String other = "#dlq tr[data-rating-id='" + discarded + "']";
      desk.click(other + " button.discard");
      assertThat(desk.visible(other + " form.discard-form input[name=reason]")).isTrue();
      desk.type(other + " form.discard-form input[name=reason]", "部门已线下补报 / reported by the department");
      desk.click(other + " form.discard-form button[type=submit]");
      await("the discarded entry left the queue").atMost(WAIT).until(() -> !desk.visible(other));
      assertThat(desk.text("#dlq")).contains("province.forward — 0");
      assertThat(api.admin().get("/api/v1/admin/audit").text()).contains("DLQ_DISCARD province.forward").contains(discarded)
          .contains("部门已线下补报");
      assertThat(api.get("/api/v1/ratings/" + discarded).json().path("status").asText()).isEqualTo("REJECTED_BY_PROVINCE");
      assertThat(desk.consoleLog()).as("no script errors logged by the console").noneMatch(l -> l.contains("Error"));
    }
  }

  private String rate(String caseNo) {
    Api.Response r = api.post("/api/v1/ratings", Fixtures.rating(caseNo, "SATISFIED"));
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("ratingId").asText();
  }

  private String refusedRating(String caseNo) {
    Map<String, Object> broken = Fixtures.completedCase(caseNo);
    broken.remove("deptName"); // optional for the gateway, required by the province (2001)
    assertThat(api.post("/api/v1/cases", broken).status()).isEqualTo(201);
    String id = rate(caseNo);
    awaitStatus(id, "REJECTED_BY_PROVINCE");
    return id;
  }

  private void awaitStatus(String ratingId, String status) {
    await(ratingId + " " + status).atMost(WAIT).until(() -> {
      JsonNode s = api.get("/api/v1/ratings/" + ratingId).json();
      return s.path("status").asText();
    }, status::equals);
  }
}
