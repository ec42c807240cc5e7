package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The templates in mappings/sms/: every kind has one, they use only their placeholders, they say what the digits mean. */
class SmsTemplatesTest {

  private final SmsTemplates templates = SmsTemplates.load("廉江市政务服务");

  @Test
  void everyKindHasATemplateThatStartsWithTheSignature() {
    for (SmsKind kind : SmsKind.values()) {
      assertThat(templates.template(kind)).as(kind.template()).startsWith("【{signature}】");
    }
  }

  @Test
  void promptAndReminderStateThatForSmsOneIsVerySatisfied() {
    String digits = "回复1非常满意、2满意、3基本满意、4不满意、5非常不满意";
    assertThat(templates.template(SmsKind.PROMPT)).contains(digits).contains("{link}").contains("回复TD退订");
    assertThat(templates.template(SmsKind.REMINDER)).contains(digits).contains("{link}");
  }

  @Test
  void renderFillsEveryPlaceholder() {
    String text = templates.render(SmsKind.THANKS, Map.of("itemName", "个体工商户设立登记", "level", "满意"));
    assertThat(text).isEqualTo("【廉江市政务服务】已收到您对“个体工商户设立登记”的评价：满意。感谢您的参与！");
  }

  @Test
  void aMissingValueIsAnErrorNotABlank() {
    assertThatThrownBy(() -> templates.render(SmsKind.PROMPT, Map.of("itemName", "x")))
        .hasMessageContaining("{link}");
  }

  @Test
  void aTemplateWithAPlaceholderItsKindDoesNotHaveFailsAtStartUp() {
    Map<SmsKind, String> t = new EnumMap<>(SmsKind.class);
    for (SmsKind kind : SmsKind.values()) {
      t.put(kind, templates.template(kind));
    }
    t.put(SmsKind.HELP, "【{signature}】{itemName}");
    assertThatThrownBy(() -> new SmsTemplates(t, "x")).hasMessageContaining("help.txt").hasMessageContaining("itemName");
  }

  @Test
  void theSignatureIsANameWithoutBrackets() {
    assertThatThrownBy(() -> SmsTemplates.load("【廉江】")).hasMessageContaining("hcp.sms.signature");
  }

  @Test
  void commentLinesAreNotPartOfTheText() {
    assertThat(SmsTemplates.parse("# comment\n【{signature}】正文\n")).isEqualTo("【{signature}】正文");
  }
}
