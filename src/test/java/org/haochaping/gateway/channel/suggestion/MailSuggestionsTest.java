package org.haochaping.gateway.channel.suggestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.haochaping.gateway.model.Level;
import org.junit.jupiter.api.Test;

/** What a mail to the hall's mailbox means. */
class MailSuggestionsTest {

  private final MailSuggestions mails = new MailSuggestions(null, "LJ-ZWFW-01", null);

  @Test
  void labelledLinesAreFieldsAndTheRestIsTheComment() {
    ObjectNode e = mails.entry("办件评价", "办件编号：C-1\n评价: 不满意\n标签：519, 513\n\n等了很久。\n", "<abc@mail>");
    assertThat(e.get("caseNo").asText()).isEqualTo("C-1");
    assertThat(e.get("level").asText()).isEqualTo("不满意");
    assertThat(e.get("tags").asText()).isEqualTo("519, 513");
    assertThat(e.get("comment").asText()).isEqualTo("办件评价\n等了很久。");
    assertThat(e.get("source").asText()).isEqualTo("MAILBOX");
    assertThat(e.get("hallCode").asText()).isEqualTo("LJ-ZWFW-01");
    assertThat(e.get("ref").asText()).isEqualTo("abc@mail");
  }

  @Test
  void levelsInWordsNamesOrFiveStars() {
    assertThat(SuggestionIntake.level("非常满意")).isEqualTo(Level.VERY_SATISFIED);
    assertThat(SuggestionIntake.level("dissatisfied")).isEqualTo(Level.DISSATISFIED);
    assertThat(SuggestionIntake.level("1")).isEqualTo(Level.VERY_DISSATISFIED);
    assertThat(SuggestionIntake.level("还行")).isNull();
  }

  @Test
  void datesWithOrWithoutTimeAreChinaTime() {
    assertThat(SuggestionIntake.time("2026/11/22")).hasToString("2026-11-22T00:00+08:00");
    assertThat(SuggestionIntake.time("2026-11-22 14:30")).hasToString("2026-11-22T14:30+08:00");
    assertThat(SuggestionIntake.time("22.11.2026")).isNull();
  }
}
