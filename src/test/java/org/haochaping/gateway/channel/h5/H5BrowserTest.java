package org.haochaping.gateway.channel.h5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.HeadlessBrowser;
import org.haochaping.gateway.support.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The H5 rating page in a real headless Chromium with a phone-sized viewport, as a citizen uses it
 * after scanning a code: the page refuses 不满意 without a reason (000 第七条), takes it with a tag,
 * and the rating lands in the ledger with the channel of the code. Screenshots go to target/ (the one
 * in docs/images/ was taken by this test).
 */
@Tag("db")
class H5BrowserTest extends GatewayTestSupport {

  @BeforeEach
  void needsChromium() {
    HeadlessBrowser.requireOrSkip();
  }

  private String local(String url) {
    // The gateway under test listens on 127.0.0.1; the public base says localhost.
    URI u = URI.create(url);
    return api.base() + u.getPath();
  }

  @Test
  void dynamicQrPageRefusesABadRatingWithoutAReasonThenStoresItWithATag() {
    Map<String, Object> c = Fixtures.windowCase("T-H5-1");
    c.put("mode", "SELF_SERVICE");
    c.remove("windowNo");
    c.remove("staffId");
    c.remove("staffName");
    api.post("/api/v1/cases", c);
    String url = api.post("/api/v1/cases/T-H5-1/events", Map.of("type", "COMPLETED")).json().at("/ratingLink/url").asText();
    Database db = bean("database", Database.class);

    try (HeadlessBrowser phone = HeadlessBrowser.phone()) {
      phone.open(local(url));
      assertThat(phone.text("h2#case-title")).isEqualTo("个体工商户设立登记");
      assertThat(phone.visible("fieldset.tags[data-polarity=BAD]")).isFalse();

      phone.click("label.l-dissatisfied");
      assertThat(phone.visible("fieldset.tags[data-polarity=BAD]")).isTrue();
      assertThat(phone.visible("fieldset.tags[data-polarity=GOOD]")).isFalse();

      // No tag, no text: the page says why and sends nothing.
      phone.click("button.submit");
      assertThat(phone.visible(".error")).isTrue();
      assertThat(phone.text(".error")).contains("请至少选择一项不满意的原因");
      assertThat(phone.url()).isEqualTo(local(url));
      assertThat(Rows.query(db, "select rating_id from ratings where case_no = ?", "T-H5-1")).isEmpty();
      phone.screenshot(Path.of("target", "screenshots", "h5-rating-page.png"));

      phone.click("fieldset.tags[data-polarity=BAD] input[value='519'] + label");
      assertThat(phone.visible(".error")).as("the message goes once a reason is chosen").isFalse();
      phone.type("#comment", "取号后等了一个多小时");
      phone.screenshot(Path.of("target", "screenshots", "h5-rating-page-filled.png"));

      phone.clickAndWaitForPage("button.submit");
      assertThat(phone.text("main")).contains("感谢您的评价", "不满意");
      phone.screenshot(Path.of("target", "screenshots", "h5-thanks.png"));
    }

    Map<String, Object> row = await().atMost(Duration.ofSeconds(10)).until(
        () -> Rows.query(db, "select * from ratings where case_no = ?", "T-H5-1"), rows -> rows.size() == 1).get(0);
    assertThat(row).containsEntry("channel", "QR_DYNAMIC").containsEntry("level", "DISSATISFIED").containsEntry("tags", "519")
        .containsEntry("comment_text", "取号后等了一个多小时");
  }

  @Test
  void staticQrFindsTheCitizensCaseByTheLastFourDigitsAndRatesItAsQrStatic() {
    api.post("/api/v1/cases", Fixtures.completedCase("W-H5-2"));
    Database db = bean("database", Database.class);

    try (HeadlessBrowser phone = HeadlessBrowser.phone()) {
      phone.open(api.base() + "/q/LJ-ZWFW-01/12");
      phone.type("#lookup", Fixtures.MOBILE.substring(7));
      phone.clickAndWaitForPage("#find-form button.submit");
      assertThat(phone.text(".results")).contains("个体工商户设立登记").doesNotContain(Fixtures.MOBILE);
      phone.screenshot(Path.of("target", "screenshots", "h5-static-pick.png"));

      phone.clickAndWaitForPage("form.inline button.choice");
      assertThat(phone.url()).contains("/r/");
      phone.click("label.l-very_satisfied");
      assertThat(phone.visible("fieldset.tags[data-polarity=GOOD]")).isTrue();
      phone.click("fieldset.tags[data-polarity=GOOD] input[value='101'] + label");
      phone.clickAndWaitForPage("button.submit");
      assertThat(phone.text("main")).contains("感谢您的评价");
    }

    Map<String, Object> row = await().atMost(Duration.ofSeconds(10)).until(
        () -> Rows.query(db, "select * from ratings where case_no = ?", "W-H5-2"), rows -> rows.size() == 1).get(0);
    assertThat(row).containsEntry("channel", "QR_STATIC").containsEntry("level", "VERY_SATISFIED").containsEntry("tags", "101")
        .containsEntry("target_type", "ITEM_AND_STAFF").containsEntry("staff_id", "S0012");
  }
}
