package org.haochaping.gateway.channel.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.RatingLinks;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.QrImages;
import org.haochaping.gateway.support.Rows;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Dynamic QR codes end to end over HTTP: a terminal reports a completion and gets the code in the
 * same answer (000 第十四条); the code decodes to the H5 page; the page takes one rating, through
 * intake, as QR_DYNAMIC; the token is single use and cannot be guessed.
 */
@Tag("db")
class DynamicQrRouteTest extends GatewayTestSupport {

  private Map<String, Object> terminalCase(String caseNo) {
    Map<String, Object> c = Fixtures.windowCase(caseNo);
    c.put("mode", "SELF_SERVICE");
    c.remove("windowNo");
    c.remove("staffId");
    c.remove("staffName");
    return c;
  }

  @Test
  void terminalCompletionIsAnsweredWithADynamicQrThatOpensTheRatingPage() {
    assertThat(api.post("/api/v1/cases", terminalCase("T-QR-1")).status()).isEqualTo(201);
    OffsetDateTime at = OffsetDateTime.now(java.time.ZoneOffset.ofHours(8)).minusMinutes(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Api.Response done = api.post("/api/v1/cases/T-QR-1/events", Map.of("type", "COMPLETED", "at", Fixtures.iso(at)));
    assertThat(done.status()).as(done.text()).isEqualTo(200);
    JsonNode link = done.json().get("ratingLink");
    assertThat(link).as(done.text()).isNotNull();
    // 000 第二十条: the window closes 7 natural days after completion, at 24:00 of the 7th day, when the default rating is given.
    assertThat(OffsetDateTime.parse(link.get("expiresAt").asText()))
        .isEqualTo(at.atZoneSameInstant(org.haochaping.gateway.model.ChinaTime.ZONE).toLocalDate().plusDays(8)
            .atStartOfDay(org.haochaping.gateway.model.ChinaTime.ZONE).toOffsetDateTime());
    String url = link.get("url").asText();
    assertThat(url).matches("http://localhost:\\d+/r/[0-9A-Za-z]{12}");

    // The same completion reported again answers the same code, not a second one.
    Api.Response again = api.post("/api/v1/cases/T-QR-1/events", Map.of("type", "COMPLETED"));
    assertThat(again.json().at("/ratingLink/url").asText()).isEqualTo(url);

    // A phone reads the PNG: the page's address.
    byte[] png = api.unsigned().bytes(URI.create(link.get("qrPng").asText()).getPath());
    assertThat(QrImages.decode(png)).isEqualTo(url);

    Api.Response page = api.unsigned().get(URI.create(url).getPath());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.text()).contains("个体工商户设立登记", "廉江市市场监督管理局", "非常满意", "非常不满意", "办事指南不清晰", "服务热情")
        .doesNotContain("13812340000");
  }

  @Test
  void aWindowCaseGetsNoLinkWithItsCompletion() {
    api.post("/api/v1/cases", Fixtures.windowCase("W-QR-1"));
    Api.Response done = api.post("/api/v1/cases/W-QR-1/events", Map.of("type", "COMPLETED"));
    assertThat(done.json().has("ratingLink")).isFalse();
  }

  @Test
  void theLinkTakesOneRatingAsQrDynamicAndIsThenUsedUp() {
    Api.Response pushed = api.post("/api/v1/cases", terminalCase("T-QR-2"));
    assertThat(pushed.status()).as(pushed.text()).isEqualTo(201);
    String path = URI.create(api.post("/api/v1/cases/T-QR-2/events", Map.of("type", "COMPLETED")).json()
        .at("/ratingLink/url").asText()).getPath();
    Api citizen = api.unsigned();

    // 000 第七条: 不满意 without a tag or a reason is refused, and the link stays usable.
    Api.Response refused = citizen.form(path, "level", "DISSATISFIED");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.text()).contains("请至少选择一项不满意的原因");
    assertThat(citizen.get(path).status()).isEqualTo(200);

    Api.Response thanks = citizen.form(path, "level", "DISSATISFIED", "tags", "513", "tags", "519", "comment", "排队一个多小时");
    assertThat(thanks.status()).as(thanks.text()).isEqualTo(200);
    assertThat(thanks.text()).contains("感谢您的评价", "10 个工作日");
    String ratingId = thanks.text().replaceAll("(?s).*评价编号：([0-9a-f-]{36}).*", "$1");

    Database db = bean("database", Database.class);
    Map<String, Object> row = await().atMost(Duration.ofSeconds(10)).until(() -> Rows.rating(db, ratingId), r -> r != null);
    assertThat(row).containsEntry("channel", "QR_DYNAMIC").containsEntry("case_no", "T-QR-2").containsEntry("level", "DISSATISFIED")
        .containsEntry("tags", "513,519").containsEntry("comment_text", "排队一个多小时").containsEntry("target_type", "ITEM");

    // Single use: the page, a second submission and the image all say so.
    Api.Response used = citizen.get(path);
    assertThat(used.status()).isEqualTo(410);
    assertThat(used.text()).contains("您已评价");
    assertThat(citizen.form(path, "level", "VERY_SATISFIED").status()).isEqualTo(410);
    String token = path.substring("/r/".length());
    assertThat(citizen.get("/api/v1/qr/links/" + token + ".png").status()).isEqualTo(410);
    assertThat(Rows.query(db, "select rating_id from ratings where case_no = ?", "T-QR-2")).hasSize(1);
  }

  @Test
  void aForgedOrMangledTokenOpensNothing() {
    Api citizen = api.unsigned();
    for (String forged : List.of("/r/AAAAAAAAAAAA", "/r/abc", "/r/%3Cscript%3E")) {
      Api.Response r = citizen.get(forged);
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.text()).contains("链接无效").doesNotContain("<script>");
      assertThat(citizen.form(forged, "level", "VERY_SATISFIED").status()).isEqualTo(404);
    }
    assertThat(citizen.get("/api/v1/qr/links/AAAAAAAAAAAA.png").status()).isEqualTo(404);
  }

  @Test
  void anExpiredLinkSaysTheRatingWindowIsClosed() {
    api.post("/api/v1/cases", Fixtures.completedCase("T-QR-OLD"));
    RatingLinks links = bean("gatewayCore", org.haochaping.gateway.GatewayCore.class).links();
    RatingLinks.Link old = links.issue("T-QR-OLD", "QR_DYNAMIC", null, null, OffsetDateTime.now().minusMinutes(1));
    Api.Response r = api.unsigned().get("/r/" + old.token());
    assertThat(r.status()).isEqualTo(410);
    assertThat(r.text()).contains("评价期已结束");
  }

  @Test
  void aHallSystemIssuesADynamicCodeForAWindowCase() {
    Api.Response pushed = api.post("/api/v1/cases", Fixtures.completedCase("W-QR-2"));
    assertThat(pushed.status()).as(pushed.text()).isEqualTo(201);
    Api.Response issued = api.post("/api/v1/cases/W-QR-2/rating-links", Map.of("target", "ITEM_AND_STAFF"));
    assertThat(issued.status()).as(issued.text()).isEqualTo(201);
    assertThat(issued.json().get("qrPng").asText()).endsWith(".png");
    assertThat(api.unsigned().post("/api/v1/cases/W-QR-2/rating-links", "{}").status()).isEqualTo(401);
    assertThat(api.post("/api/v1/cases/W-NOBODY/rating-links", "{}").status()).isEqualTo(404);

    api.post("/api/v1/cases", Fixtures.windowCase("W-QR-OPEN"));
    Api.Response open = api.post("/api/v1/cases/W-QR-OPEN/rating-links", "{}");
    assertThat(open.status()).isEqualTo(422);
    assertThat(open.json().get("code").asText()).isEqualTo("RATING_WINDOW_CLOSED");
  }
}
