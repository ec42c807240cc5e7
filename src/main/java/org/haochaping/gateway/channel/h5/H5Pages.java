package org.haochaping.gateway.channel.h5;

import static org.haochaping.gateway.channel.h5.Html.esc;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Masking;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.policy.Questionnaire;
import org.haochaping.gateway.province.ProvinceCodeTables;

/**
 * The mobile rating pages in Chinese, rendered on the server: plain HTML that works without
 * JavaScript (the server checks everything again), one stylesheet and one small script from
 * {@code /h5/}, nothing from outside. Large tap targets, a label for every control, errors
 * announced to screen readers.
 */
public final class H5Pages {

  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy年M月d日 HH:mm");

  /** What the rating form shows and where it posts. */
  public record RatingForm(String action, ServiceCase serviceCase, boolean ratesStaff, String channelLabel,
      String level, List<String> tags, String comment, List<String> errors, OffsetDateTime expiresAt,
      Questionnaire questionnaire, Map<String, List<String>> answers) {}

  private final ProvinceCodeTables codes;
  private final PolicyProfile profile;

  public H5Pages(ProvinceCodeTables codes, PolicyProfile profile) {
    this.codes = codes;
    this.profile = profile;
  }

  public String ratingForm(RatingForm f) {
    ServiceCase c = f.serviceCase();
    StringBuilder b = new StringBuilder();
    b.append("<section class=\"case\" aria-labelledby=\"case-title\">")
        .append("<h2 id=\"case-title\">").append(esc(c.itemName())).append("</h2><dl>");
    row(b, "办理部门", c.deptName() != null ? c.deptName() : c.deptCode());
    row(b, "办件编号", c.caseNo());
    if (c.windowNo() != null) {
      row(b, "办理窗口", (c.hallCode() != null ? c.hallCode() + " · " : "") + c.windowNo() + " 号窗口");
    }
    if (f.ratesStaff() && c.staffName() != null) {
      row(b, "服务人员", c.staffName());
    }
    if (c.completedAt() != null) {
      row(b, "办结时间", ChinaTime.of(c.completedAt()).format(DAY_TIME));
    }
    b.append("</dl></section>");
    b.append("<form method=\"post\" action=\"").append(esc(f.action())).append("\" id=\"rating-form\" novalidate>");
    errors(b, f.errors());
    levels(b, f.level(), "您对本次服务满意吗？");
    tags(b, f.tags());
    questionnaire(b, f.questionnaire(), f.answers());
    b.append("<div class=\"field\"><label for=\"comment\">文字评价 <span class=\"hint\">（选填，最多 ")
        .append(profile.rating().commentMaxLength()).append(" 字）</span></label>")
        .append("<textarea id=\"comment\" name=\"comment\" rows=\"4\" maxlength=\"").append(profile.rating().commentMaxLength())
        .append("\">").append(esc(f.comment())).append("</textarea></div>");
    b.append("<button type=\"submit\" class=\"submit\">提交评价</button>");
    if (f.expiresAt() != null) {
      b.append("<p class=\"hint\">本评价链接仅可使用一次，")
          .append(esc(ChinaTime.of(f.expiresAt()).format(DAY_TIME))).append(" 前有效。</p>");
    }
    b.append("</form>");
    return page("服务评价", b.toString());
  }

  public String thanks(Level level, String ratingId) {
    StringBuilder b = new StringBuilder("<section class=\"done\" role=\"status\"><h2>感谢您的评价！</h2>");
    b.append("<p>您的评价“").append(esc(level.label())).append("”已提交。</p>");
    if (level.isBad()) {
      // 000 第二十三条 / 002 第十四条: a bad rating becomes a work order, rectified and answered within the profile's time.
      PolicyProfile.Span s = profile.workOrder().rectify();
      b.append("<p>我们将核实您反映的问题，并在 ").append(s.amount()).append(" 个")
          .append(s.unit() == PolicyProfile.Unit.WORKING_DAYS ? "工作日" : s.unit() == PolicyProfile.Unit.HOURS ? "小时" : "自然日")
          .append("内整改并向您反馈。</p>");
    }
    b.append("<p class=\"hint\">评价编号：").append(esc(ratingId)).append("</p></section>");
    return page("评价成功", b.toString());
  }

  public String feedbackThanks() {
    return page("提交成功", "<section class=\"done\" role=\"status\"><h2>感谢您的意见！</h2>"
        + "<p>您的意见已转给本大厅，我们会认真整理并改进服务。</p></section>");
  }

  public String message(String title, String text) {
    return page(title, "<section class=\"notice\" role=\"status\"><h2>" + esc(title) + "</h2><p>" + esc(text) + "</p></section>");
  }

  /** The page a static QR code opens: find one's case, or give feedback to the window. */
  public String staticLanding(String hallCode, String windowNo, String lookup, List<String> errors, List<ServiceCase> found,
      boolean searched, String feedbackLevel, List<String> feedbackTags, String feedbackComment, List<String> feedbackErrors) {
    StringBuilder b = new StringBuilder();
    String where = windowNo == null ? "大厅 " + hallCode : hallCode + " · " + windowNo + " 号窗口";
    b.append("<section class=\"case\"><h2>").append(esc(where)).append(" 服务评价</h2>")
        .append("<p>请输入办事时登记的<strong>手机号码后4位</strong>或<strong>办件编号</strong>，找到您的办件后评价。</p></section>");
    b.append("<form method=\"post\" action=\"/q/find\" id=\"find-form\">");
    hidden(b, "hallCode", hallCode);
    hidden(b, "windowNo", windowNo);
    errors(b, errors);
    b.append("<div class=\"field\"><label for=\"lookup\">手机号码后4位 或 办件编号</label>")
        .append("<input id=\"lookup\" name=\"lookup\" required autocomplete=\"off\" maxlength=\"64\" value=\"")
        .append(esc(lookup)).append("\"></div>")
        .append("<button type=\"submit\" class=\"submit\">查找我的办件</button></form>");
    if (searched) {
      b.append("<section aria-live=\"polite\" class=\"results\"><h2>").append(found.isEmpty() ? "没有找到匹配的办件" : "请选择您的办件")
          .append("</h2>");
      if (found.isEmpty()) {
        b.append("<p>可能办件尚未登记或已超过评价期。您也可以在下方直接对本窗口提出意见。</p>");
      }
      for (ServiceCase c : found) {
        b.append("<article class=\"pick\"><h3>").append(esc(c.itemName())).append("</h3><p>")
            .append(esc(c.deptName() != null ? c.deptName() : c.deptCode())).append(" · 受理于 ")
            .append(esc(ChinaTime.of(c.acceptedAt()).format(DAY_TIME)));
        if (c.applicant() != null && c.applicant().name() != null) {
          b.append(" · 申请人 ").append(esc(Masking.name(c.applicant().name())));
        }
        b.append("</p>");
        if (c.isCompleted()) {
          pickButton(b, hallCode, windowNo, lookup, c, c.staffId() != null ? "ITEM_AND_STAFF" : "ITEM",
              c.staffId() != null ? "评价本次办理（事项和工作人员）" : "评价本次办理");
        }
        if (c.staffId() != null) {
          pickButton(b, hallCode, windowNo, lookup, c, "STAFF", "只评价窗口工作人员");
        }
        b.append("</article>");
      }
      b.append("</section>");
    }
    b.append("<details class=\"feedback\"").append(feedbackErrors.isEmpty() ? "" : " open")
        .append("><summary>没有找到办件？直接评价本窗口服务</summary>");
    b.append("<form method=\"post\" action=\"/q/feedback\" id=\"feedback-form\" novalidate>");
    hidden(b, "hallCode", hallCode);
    hidden(b, "windowNo", windowNo);
    errors(b, feedbackErrors);
    levels(b, feedbackLevel, "您对本窗口的服务满意吗？");
    tags(b, feedbackTags);
    b.append("<div class=\"field\"><label for=\"feedback-comment\">意见建议 <span class=\"hint\">（选填）</span></label>")
        .append("<textarea id=\"feedback-comment\" name=\"comment\" rows=\"4\" maxlength=\"")
        .append(profile.rating().commentMaxLength()).append("\">").append(esc(feedbackComment)).append("</textarea></div>")
        .append("<button type=\"submit\" class=\"submit\">提交意见</button></form></details>");
    return page("服务评价", b.toString());
  }

  private void pickButton(StringBuilder b, String hallCode, String windowNo, String lookup, ServiceCase c, String target, String label) {
    b.append("<form method=\"post\" action=\"/q/pick\" class=\"inline\">");
    hidden(b, "hallCode", hallCode);
    hidden(b, "windowNo", windowNo);
    hidden(b, "lookup", lookup);
    hidden(b, "caseNo", c.caseNo());
    hidden(b, "target", target);
    b.append("<button type=\"submit\" class=\"choice\">").append(esc(label)).append("</button></form>");
  }

  private void levels(StringBuilder b, String selected, String legend) {
    b.append("<fieldset class=\"levels\"><legend>").append(esc(legend)).append(" <span class=\"required\">（必选）</span></legend>");
    for (Level l : Level.values()) {
      String id = "level-" + l.name().toLowerCase(java.util.Locale.ROOT) + "-" + Integer.toHexString(legend.hashCode());
      b.append("<div class=\"level\"><input type=\"radio\" name=\"level\" id=\"").append(id).append("\" value=\"").append(l.name())
          .append("\" data-bad=\"").append(l.isBad()).append("\"").append(l.name().equals(selected) ? " checked" : "")
          .append("><label for=\"").append(id).append("\" class=\"l-").append(l.name().toLowerCase(java.util.Locale.ROOT))
          .append("\">").append(esc(l.label())).append("</label></div>");
    }
    b.append("</fieldset>");
  }

  private void tags(StringBuilder b, List<String> checked) {
    // 000 第七条: 不满意/非常不满意 choose a reason tag or write the reason; good levels may pick good tags.
    b.append("<fieldset class=\"tags\" data-polarity=\"BAD\"><legend>不满意的原因 <span class=\"hint\">（请至少选一项，或填写文字评价）</span></legend>");
    for (ProvinceCodeTables.Tag t : codes.tags()) {
      if (t.bad()) {
        tag(b, t, checked);
      }
    }
    b.append("</fieldset><fieldset class=\"tags\" data-polarity=\"GOOD\"><legend>您满意的方面 <span class=\"hint\">（选填）</span></legend>");
    for (ProvinceCodeTables.Tag t : codes.tags()) {
      if (!t.bad()) {
        tag(b, t, checked);
      }
    }
    b.append("</fieldset>");
  }

  /**
   * The item's questionnaire (000 第八条: 针对具体服务事项设计评价问询表单，由办事企业群众自主自愿填写): every
   * question in the page, each marked with the levels it is asked for; the script shows those of the chosen
   * level only (without script all are shown, and the server keeps the answers of the chosen level's). Required ones say so, and the server checks them.
   */
  private static void questionnaire(StringBuilder b, Questionnaire q, Map<String, List<String>> answers) {
    if (q == null) {
      return;
    }
    b.append("<section class=\"questionnaire\" aria-labelledby=\"questionnaire-title\"><h2 id=\"questionnaire-title\">")
        .append(esc(q.title() != null ? q.title() : "办事体验问卷")).append("</h2>")
        .append("<p class=\"hint\">请根据您的办事体验填写，帮助我们改进服务。</p>");
    for (Questionnaire.Question question : q.questions()) {
      String levels = question.levels().stream().sorted().map(Level::name).collect(java.util.stream.Collectors.joining(" "));
      List<String> given = answers == null ? List.of() : answers.getOrDefault(question.id(), List.of());
      String id = "q-" + question.id();
      b.append("<fieldset class=\"question q-").append(question.type().code()).append("\" id=\"").append(esc(id))
          .append("\" data-question=\"").append(esc(question.id())).append("\" data-levels=\"").append(levels)
          .append("\" data-required=\"").append(question.required()).append("\"><legend>").append(esc(question.text())).append(question.required()
              ? " <span class=\"required\">（必答）</span>" : " <span class=\"hint\">（选填）</span>").append("</legend>");
      String name = "q." + question.id();
      switch (question.type()) {
        case SINGLE, MULTIPLE -> {
          String input = question.type() == Questionnaire.AnswerType.SINGLE ? "radio" : "checkbox";
          for (Questionnaire.Choice c : question.choices()) {
            String cid = id + "-" + c.code();
            b.append("<div class=\"tag\"><input type=\"").append(input).append("\" name=\"").append(esc(name)).append("\" id=\"")
                .append(esc(cid)).append("\" value=\"").append(esc(c.code())).append("\"").append(given.contains(c.code()) ? " checked" : "")
                .append("><label for=\"").append(esc(cid)).append("\">").append(esc(c.label())).append("</label></div>");
          }
        }
        case SCORE -> {
          for (int n = 1; n <= 5; n++) {
            String cid = id + "-" + n;
            b.append("<div class=\"tag score\"><input type=\"radio\" name=\"").append(esc(name)).append("\" id=\"").append(esc(cid))
                .append("\" value=\"").append(n).append("\"").append(given.contains(Integer.toString(n)) ? " checked" : "")
                .append("><label for=\"").append(esc(cid)).append("\" aria-label=\"").append(n).append(" 分\">").append(n)
                .append("</label></div>");
          }
        }
        case TEXT -> b.append("<textarea name=\"").append(esc(name)).append("\" id=\"").append(esc(id)).append("-text\" rows=\"3\" ")
            .append("maxlength=\"").append(question.maxLength()).append("\" aria-label=\"").append(esc(question.text())).append("\">")
            .append(esc(given.isEmpty() ? null : given.get(0))).append("</textarea>");
      }
      b.append("</fieldset>");
    }
    b.append("</section>");
  }

  private static void tag(StringBuilder b, ProvinceCodeTables.Tag t, List<String> checked) {
    String id = "tag-" + t.code() + "-" + Integer.toHexString(System.identityHashCode(b));
    b.append("<div class=\"tag\"><input type=\"checkbox\" name=\"tags\" id=\"").append(esc(id)).append("\" value=\"").append(esc(t.code()))
        .append("\"").append(checked != null && checked.contains(t.code()) ? " checked" : "").append("><label for=\"").append(esc(id))
        .append("\">").append(esc(t.label())).append("</label></div>");
  }

  private static void errors(StringBuilder b, List<String> errors) {
    b.append("<div class=\"error\" role=\"alert\" tabindex=\"-1\"").append(errors == null || errors.isEmpty() ? " hidden" : "").append(">");
    if (errors != null) {
      for (String e : errors) {
        b.append("<p>").append(esc(e)).append("</p>");
      }
    }
    b.append("</div>");
  }

  private static void row(StringBuilder b, String label, String value) {
    if (value != null && !value.isBlank()) {
      b.append("<div><dt>").append(esc(label)).append("</dt><dd>").append(esc(value)).append("</dd></div>");
    }
  }

  private static void hidden(StringBuilder b, String name, String value) {
    if (value != null) {
      b.append("<input type=\"hidden\" name=\"").append(esc(name)).append("\" value=\"").append(esc(value)).append("\">");
    }
  }

  static String page(String title, String main) {
    return "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + esc(title) + " · 政务服务好差评</title><link rel=\"stylesheet\" href=\"/h5/h5.css\"></head>"
        + "<body><header class=\"bar\"><h1>政务服务“好差评”</h1></header><main>" + main + "</main>"
        + "<footer><p>评价信息仅用于改进政务服务，您的个人信息将被严格保密。</p></footer>"
        + "<script src=\"/h5/h5.js\" defer></script></body></html>";
  }
}
