package org.haochaping.gateway.channel.h5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.HeadlessBrowser;
import org.haochaping.gateway.support.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The item's questionnaire (000 第八条) on the H5 rating page in a real headless Chromium, phone-sized:
 * after a level is picked the questions of that level appear, a required one is enforced before anything
 * is sent, and the answers land in rating_answers with the rating. The screenshot in
 * docs/images/h5-questionnaire.png was taken by this test (target/screenshots/).
 */
class QuestionnaireBrowserTest extends GatewayTestSupport {

  @BeforeEach
  void needsChromium() {
    HeadlessBrowser.requireOrSkip();
  }

  /** A completed self-service case of 个体工商户变更登记 (…1002, whose file requires "what went wrong"): its H5 link. */
  private String selfServiceCaseLink(String caseNo) {
    Map<String, Object> c = Fixtures.windowCase(caseNo);
    c.put("taskCode", "11440881MB2C93418X4440111002");
    c.put("itemName", "个体工商户变更登记");
    c.put("mode", "SELF_SERVICE");
    c.remove("windowNo");
    c.remove("staffId");
    c.remove("staffName");
    api.post("/api/v1/cases", c);
    return api.post("/api/v1/cases/" + caseNo + "/events", Map.of("type", "COMPLETED")).json().at("/ratingLink/url").asText();
  }

  @Test
  void questionsOfThePickedLevelAreShownARequiredOneIsEnforcedAndTheAnswersAreStored() {
    String url = selfServiceCaseLink("T-QN-H5");
    String page = api.base() + URI.create(url).getPath();
    Database db = bean("database", Database.class);

    try (HeadlessBrowser phone = HeadlessBrowser.phone()) {
      phone.open(page);
      assertThat(phone.visible("section.questionnaire")).as("no level yet, no questions").isFalse();

      phone.click("label.l-satisfied");
      assertThat(phone.visible("section.questionnaire")).isTrue();
      assertThat(phone.visible("#q-speed")).isTrue();
      assertThat(phone.visible("#q-whatWentWrong")).as("asked only after 不满意/非常不满意").isFalse();

      phone.click("label.l-dissatisfied");
      assertThat(phone.visible("#q-whatWentWrong")).isTrue();
      assertThat(phone.text("#q-whatWentWrong legend")).contains("主要是哪些方面让您不满意", "必答");

      // A reason tag (000 第七条) but the required question unanswered: the page says so and sends nothing.
      phone.click("fieldset.tags[data-polarity=BAD] input[value='519'] + label");
      phone.click("button.submit");
      assertThat(phone.visible(".error")).isTrue();
      assertThat(phone.text(".error")).contains("请回答问题", "主要是哪些方面让您不满意");
      assertThat(phone.url()).isEqualTo(page);
      assertThat(Rows.query(db, "select rating_id from ratings where case_no = ?", "T-QN-H5")).isEmpty();

      phone.click("#q-whatWentWrong input[value='WAIT'] + label");
      phone.click("#q-whatWentWrong input[value='SLOW'] + label");
      assertThat(phone.visible(".error")).as("the message goes once the question is answered").isFalse();
      phone.click("#q-speed input[value='2'] + label");
      phone.click("#q-visits input[value='TWO_OR_MORE'] + label");
      phone.type("#q-suggestion-text", "希望材料清单写得更清楚");
      phone.screenshot(Path.of("target", "screenshots", "h5-questionnaire.png"));

      phone.clickAndWaitForPage("button.submit");
      assertThat(phone.text("main")).contains("感谢您的评价", "不满意");
    }

    String ratingId = await().atMost(Duration.ofSeconds(10)).until(
        () -> Rows.query(db, "select rating_id, level, tags from ratings where case_no = ?", "T-QN-H5"), rows -> rows.size() == 1)
        .get(0).get("rating_id").toString();
    List<Map<String, Object>> answers = Rows.query(db, "select question_id, choice_code, score, answer_text from rating_answers "
        + "where rating_id = ? order by question_id, ordinal", ratingId);
    assertThat(answers).extracting(a -> a.get("question_id") + "=" + (a.get("choice_code") != null ? a.get("choice_code")
        : a.get("score") != null ? a.get("score") : a.get("answer_text")))
        .containsExactly("speed=2", "suggestion=希望材料清单写得更清楚", "visits=TWO_OR_MORE", "whatWentWrong=WAIT", "whatWentWrong=SLOW");
  }

  @Test
  void withoutScriptTheServerStillRefusesAMissingRequiredAnswer() {
    String path = URI.create(selfServiceCaseLink("T-QN-FORM")).getPath();
    // The page as served: every question is there, for a browser without script; the script hides those of other levels.
    assertThat(api.unsigned().get(path).text()).contains("主要是哪些方面让您不满意", "name=\"q.speed\"", "data-required=\"true\"");
    var r = api.unsigned().form(path, "level", "VERY_DISSATISFIED", "tags", "519", "q.speed", "1");
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.text()).contains("必须回答问题", "主要是哪些方面让您不满意");
    // Answers to a question of another level are dropped, not refused; the required one answered: accepted.
    r = api.unsigned().form(path, "level", "VERY_DISSATISFIED", "tags", "519", "q.whatWentWrong", "ATTITUDE");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.text()).contains("感谢您的评价");
  }
}
