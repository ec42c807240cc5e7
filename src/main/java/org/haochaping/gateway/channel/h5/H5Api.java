package org.haochaping.gateway.channel.h5;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.RatingIntake;
import org.haochaping.gateway.channel.qr.DynamicLinks;
import org.haochaping.gateway.channel.suggestion.HallFeedback;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.policy.Questionnaire;
import org.haochaping.gateway.policy.Questionnaires;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.province.ProvinceCodeTables;
import org.haochaping.gateway.store.CaseStore;
import org.haochaping.gateway.store.ChannelFeedback;
import org.haochaping.gateway.store.RatingLinks;
import org.haochaping.gateway.store.StoreException;
import org.haochaping.gateway.store.WindowCases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The citizen's side: the H5 rating page behind a dynamic QR code or an SMS link ({@code /r/{token}}),
 * the page behind a static QR code at a hall or window ({@code /q/...}), and their assets ({@code /h5/}).
 * No login: a dynamic link is a single-use capability; a static code finds the citizen's own case
 * by the last four digits of the mobile registered with it, or by its case number.
 */
public final class H5Api {

  private static final Logger LOG = LoggerFactory.getLogger(H5Api.class);
  /** How long the link a static-QR pick opens stays valid: the citizen is standing at the window. */
  static final Duration PICK_VALIDITY = Duration.ofHours(2);
  /** How far back a static code looks for cases; the rating window decides within that. */
  static final Duration LOOKBACK = Duration.ofDays(60);
  /** A staff member may be rated after a window visit of a case not yet completed (000 第十七条): visits this recent. */
  static final Duration VISIT = Duration.ofDays(7);
  static final int MAX_SHOWN = 10;
  static final String NEEDS_REASON = "选择“不满意”或“非常不满意”时，请至少选择一项不满意的原因，或填写文字评价。";

  private final RatingLinks links;
  private final CaseStore cases;
  private final WindowCases windowCases;
  private final RatingIntake intake;
  private final DynamicLinks dynamicLinks;
  private final HallFeedback feedback;
  private final H5Pages pages;
  private final ProvinceCodeTables codes;
  private final PolicyProfile profile;
  private final Clock clock;
  private final Questionnaires questionnaires;

  public H5Api(RatingLinks links, CaseStore cases, WindowCases windowCases, RatingIntake intake, DynamicLinks dynamicLinks,
      HallFeedback feedback, ProvinceCodeTables codes, PolicyProfile profile, Clock clock) {
    this(links, cases, windowCases, intake, dynamicLinks, feedback, codes, profile, clock, Questionnaires.NONE);
  }

  /** @param questionnaires the items' questionnaires, shown after a level is picked (000 第八条) */
  public H5Api(RatingLinks links, CaseStore cases, WindowCases windowCases, RatingIntake intake, DynamicLinks dynamicLinks,
      HallFeedback feedback, ProvinceCodeTables codes, PolicyProfile profile, Clock clock, Questionnaires questionnaires) {
    this.questionnaires = questionnaires;
    this.links = links;
    this.cases = cases;
    this.windowCases = windowCases;
    this.intake = intake;
    this.dynamicLinks = dynamicLinks;
    this.feedback = feedback;
    this.pages = new H5Pages(codes, profile);
    this.codes = codes;
    this.profile = profile;
    this.clock = clock;
  }

  /** GET /r/{token}: the rating form, or a clear page why it cannot be used. */
  public void ratingPage(Exchange exchange) {
    String token = exchange.getMessage().getHeader("token", String.class);
    try {
      Resolved r = resolve(token);
      if (r.refusal != null) {
        html(exchange, r.status, r.refusal);
        return;
      }
      html(exchange, 200, pages.ratingForm(form(r, null, List.of(), null, Map.of(), List.of())));
    } catch (StoreException e) {
      busy(exchange, e);
    }
  }

  /** POST /r/{token}: the rating through intake (channel of the link); the link is redeemed only once it is accepted. */
  public void submitRating(Exchange exchange) {
    String token = exchange.getMessage().getHeader("token", String.class);
    FormData f = FormData.parse(body(exchange));
    String level = f.get("level");
    List<String> tags = f.all("tags");
    String comment = f.get("comment");
    try {
      Resolved r = resolve(token);
      if (r.refusal != null) {
        html(exchange, r.status, r.refusal);
        return;
      }
      Map<String, List<String>> answers = answers(r, f);
      List<String> problems = checkChoice(level, tags, comment);
      if (!problems.isEmpty()) {
        html(exchange, 400, pages.ratingForm(form(r, level, tags, comment, answers, problems)));
        return;
      }
      ObjectNode doc = canonical(r, level, tags, comment);
      questionnaire(r, Level.valueOf(level), answers, doc);
      RatingIntake.Outcome o = intake.submit(doc);
      if (o.accepted()) {
        if (!links.redeem(token, o.ratingId())) {
          LOG.info("Rating link for case {} was redeemed concurrently; rating {} stands", r.link.caseNo(), o.ratingId());
        }
        html(exchange, 200, pages.thanks(Level.valueOf(level), o.ratingId()));
        return;
      }
      switch (o.status()) {
        case CONFLICT -> html(exchange, 409, pages.message("该办件已评价", "该办件已有一条评价，不能重复评价。如需补充，可在评价后 60 个自然日内通过原渠道追加评价。"));
        case UNAVAILABLE -> html(exchange, 503, pages.ratingForm(form(r, level, tags, comment, answers,
            List.of("系统繁忙，您的评价尚未提交，请稍后再试。"))));
        default -> html(exchange, o.status() == RatingIntake.Outcome.Status.INVALID ? 400 : 422,
            pages.ratingForm(form(r, level, tags, comment, answers, messages(o.violations()))));
      }
    } catch (StoreException e) {
      busy(exchange, e);
    }
  }

  /** GET /q/{hallCode} and /q/{hallCode}/{windowNo}: the page a static QR code opens. */
  public void staticPage(Exchange exchange) {
    String hall = exchange.getMessage().getHeader("hallCode", String.class);
    String window = exchange.getMessage().getHeader("windowNo", String.class);
    if (!validPlace(hall, window)) {
      html(exchange, 404, pages.message("二维码无效", "请扫描窗口张贴的评价二维码。"));
      return;
    }
    html(exchange, 200, pages.staticLanding(hall, window, null, List.of(), List.of(), false, null, List.of(), null, List.of()));
  }

  /** POST /q/find: the citizen's recent cases at that hall or window. */
  public void find(Exchange exchange) {
    FormData f = FormData.parse(body(exchange));
    String hall = f.get("hallCode");
    String window = f.get("windowNo");
    String lookup = f.get("lookup");
    if (!validPlace(hall, window)) {
      html(exchange, 400, pages.message("二维码无效", "请扫描窗口张贴的评价二维码。"));
      return;
    }
    if (lookup == null || !(lookup.matches("[0-9]{4}") || lookup.matches("[\\x21-\\x7E]{5,64}"))) {
      html(exchange, 400, pages.staticLanding(hall, window, lookup, List.of("请输入手机号码后4位数字，或完整的办件编号。"), List.of(), false,
          null, List.of(), null, List.of()));
      return;
    }
    try {
      html(exchange, 200, pages.staticLanding(hall, window, lookup, List.of(), matches(hall, window, lookup), true,
          null, List.of(), null, List.of()));
    } catch (StoreException e) {
      busy(exchange, e);
    }
  }

  /** POST /q/pick: a link for the chosen case (channel QR_STATIC), then the rating form. */
  public void pick(Exchange exchange) {
    FormData f = FormData.parse(body(exchange));
    String hall = f.get("hallCode");
    String window = f.get("windowNo");
    String lookup = f.get("lookup");
    String caseNo = f.get("caseNo");
    String target = f.get("target");
    if (!validPlace(hall, window) || lookup == null || caseNo == null
        || !List.of("ITEM", "ITEM_AND_STAFF", "STAFF").contains(target)) {
      html(exchange, 400, pages.message("请重新查找", "请返回上一页，重新查找您的办件。"));
      return;
    }
    try {
      // The lookup is checked again: knowing a case number of this window is what lets one rate it.
      Optional<ServiceCase> chosen = matches(hall, window, lookup).stream().filter(c -> c.caseNo().equals(caseNo)).findFirst();
      if (chosen.isEmpty()) {
        html(exchange, 404, pages.message("没有找到该办件", "请返回上一页，重新查找您的办件。"));
        return;
      }
      ServiceCase c = chosen.get();
      OffsetDateTime until = OffsetDateTime.now(clock).plus(PICK_VALIDITY);
      Optional<RatingLinks.Link> link;
      if (TargetType.STAFF.name().equals(target)) {
        // 000 第十七条: the staff member of this visit may be rated whether or not the case is completed.
        OffsetDateTime closes = dynamicLinks.closesAt(c).filter(t -> t.isBefore(until)).orElse(until);
        link = Optional.of(links.issue(c.caseNo(), Channel.QR_STATIC.name(), target, c.staffId(), closes));
      } else {
        link = dynamicLinks.issue(c, Channel.QR_STATIC, target, null, until).map(DynamicLinks.Issued::link);
      }
      if (link.isEmpty()) {
        html(exchange, 410, pages.message("评价期已结束", "该办件已超过评价期。"));
        return;
      }
      redirect(exchange, "/r/" + link.get().token());
    } catch (StoreException e) {
      busy(exchange, e);
    }
  }

  /** POST /q/feedback: a rating of the window without a case, kept as the hall's feedback (not a case rating). */
  public void feedback(Exchange exchange) {
    FormData f = FormData.parse(body(exchange));
    String hall = f.get("hallCode");
    String window = f.get("windowNo");
    if (!validPlace(hall, window)) {
      html(exchange, 400, pages.message("二维码无效", "请扫描窗口张贴的评价二维码。"));
      return;
    }
    String level = f.get("level");
    List<String> tags = f.all("tags");
    String comment = f.get("comment");
    List<String> problems = checkChoice(level, tags, comment);
    if (comment != null && comment.codePointCount(0, comment.length()) > profile.rating().commentMaxLength()) {
      problems.add("意见建议不能超过 " + profile.rating().commentMaxLength() + " 字。");
    }
    if (!problems.isEmpty()) {
      html(exchange, 400, pages.staticLanding(hall, window, null, List.of(), List.of(), false, level, tags, comment, problems));
      return;
    }
    try {
      feedback.keep(new ChannelFeedback.Entry("qr:" + UUID.randomUUID(), Channel.QR_STATIC.name(), "QR", hall, window, null, null,
          level, tags, comment, OffsetDateTime.now(clock), null));
      html(exchange, 200, pages.feedbackThanks());
    } catch (StoreException e) {
      busy(exchange, e);
    }
  }

  /** GET /h5/{file}: the page's stylesheet and script, from the classpath. */
  public void asset(Exchange exchange) {
    String file = exchange.getMessage().getHeader("file", String.class);
    Message m = exchange.getMessage();
    m.removeHeaders("*");
    if (file == null || !file.matches("[a-z0-9-]+\\.(css|js)")) {
      m.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
      m.setHeader(Exchange.CONTENT_TYPE, "text/plain;charset=UTF-8");
      m.setBody("not found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    try (InputStream in = H5Api.class.getClassLoader().getResourceAsStream("h5/" + file)) {
      if (in == null) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
        m.setHeader(Exchange.CONTENT_TYPE, "text/plain;charset=UTF-8");
        m.setBody("not found".getBytes(StandardCharsets.UTF_8));
        return;
      }
      m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
      m.setHeader(Exchange.CONTENT_TYPE, file.endsWith(".css") ? "text/css;charset=UTF-8" : "text/javascript;charset=UTF-8");
      m.setHeader("Cache-Control", "public, max-age=3600");
      m.setHeader("X-Content-Type-Options", "nosniff");
      m.setBody(in.readAllBytes());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---

  /** A link resolved to its case, or the page that says why it cannot be used. */
  private record Resolved(RatingLinks.Link link, ServiceCase serviceCase, int status, String refusal) {}

  private Resolved resolve(String token) {
    Optional<RatingLinks.Link> link = links.find(token);
    if (link.isEmpty()) {
      return new Resolved(null, null, 404, pages.message("链接无效", "没有找到这个评价链接，请确认二维码或短信中的链接是否完整。"));
    }
    RatingLinks.Link l = link.get();
    if (l.usedAt() != null) {
      return new Resolved(l, null, 410, pages.message("您已评价", "该评价链接已使用，感谢您的参与！每个评价链接只能使用一次。"));
    }
    if (!l.usable(OffsetDateTime.now(clock))) {
      return new Resolved(l, null, 410, pages.message("评价期已结束",
          "该办件的评价期已结束（办结后 7 个自然日内可评价，逾期未评价的视为“非常满意”）。"));
    }
    Optional<ServiceCase> c = cases.find(l.caseNo());
    if (c.isEmpty()) {
      return new Resolved(l, null, 404, pages.message("链接无效", "没有找到该链接对应的办件。"));
    }
    return new Resolved(l, c.get(), 200, null);
  }

  private H5Pages.RatingForm form(Resolved r, String level, List<String> tags, String comment, Map<String, List<String>> answers,
      List<String> errors) {
    String type = r.link.targetType();
    boolean ratesStaff = type != null ? TargetType.valueOf(type).ratesStaff() : r.serviceCase.staffId() != null
        && r.serviceCase.mode() == org.haochaping.gateway.model.CaseMode.WINDOW;
    return new H5Pages.RatingForm("/r/" + r.link.token(), r.serviceCase, ratesStaff, r.link.channel(), level, tags, comment, errors,
        r.link.expiresAt(), questionnaires.forItem(r.serviceCase.taskCode()).orElse(null), answers);
  }

  /** What the form answered to the case's item's questionnaire: field {@code q.<id>} per question, as sent. */
  private Map<String, List<String>> answers(Resolved r, FormData f) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    questionnaires.forItem(r.serviceCase.taskCode()).ifPresent(q -> q.questions().forEach(question -> {
      List<String> values = f.all("q." + question.id()).stream().filter(v -> v != null && !v.isBlank()).toList();
      if (!values.isEmpty()) {
        out.put(question.id(), values);
      }
    }));
    return out;
  }

  /**
   * The answers to the questions asked for the chosen level into the rating's {@code questionnaire}; answers
   * to questions of other levels (a page without script sends every field) are dropped, not refused. Intake
   * then checks them, and the required ones, like any other channel's (000 第八条).
   */
  private void questionnaire(Resolved r, Level level, Map<String, List<String>> answers, ObjectNode doc) {
    Questionnaire q = questionnaires.forItem(r.serviceCase.taskCode()).orElse(null);
    if (q == null || answers.isEmpty()) {
      return;
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    for (Questionnaire.Question question : q.questionsFor(level)) {
      List<String> values = answers.get(question.id());
      if (values == null) {
        continue;
      }
      switch (question.type()) {
        case MULTIPLE -> values.forEach(out.withArray(question.id())::add);
        case SCORE -> {
          try {
            out.put(question.id(), Integer.parseInt(values.get(0).strip()));
          } catch (NumberFormatException e) {
            out.put(question.id(), values.get(0)); // intake refuses it, naming the question
          }
        }
        default -> out.put(question.id(), values.get(0).strip());
      }
    }
    if (!out.isEmpty()) {
      doc.set("questionnaire", out);
    }
  }

  private ObjectNode canonical(Resolved r, String level, List<String> tags, String comment) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("sourceRef", "h5:" + r.link.token());
    doc.put("caseNo", r.link.caseNo());
    doc.put("channel", r.link.channel());
    doc.put("level", level);
    if (!tags.isEmpty()) {
      ArrayNode a = doc.putArray("tags");
      tags.forEach(a::add);
    }
    if (comment != null) {
      doc.put("comment", comment);
    }
    if (r.link.targetType() != null) {
      ObjectNode target = doc.putObject("target");
      target.put("type", r.link.targetType());
      if (r.link.staffId() != null) {
        target.put("staffId", r.link.staffId());
      }
      if (TargetType.STAFF.name().equals(r.link.targetType()) && r.serviceCase.visitId() != null) {
        doc.put("visitId", r.serviceCase.visitId());
      }
    }
    return doc;
  }

  /** What the citizen must fix before anything is sent: a level; for a bad level a reason (000 第七条, 002 第八条). */
  private List<String> checkChoice(String level, List<String> tags, String comment) {
    List<String> problems = new ArrayList<>();
    Level l = null;
    try {
      l = level == null ? null : Level.valueOf(level);
    } catch (IllegalArgumentException e) {
      // handled below
    }
    if (l == null) {
      problems.add("请选择满意程度。");
      return problems;
    }
    for (String t : tags) {
      if (!codes.isTag(t)) {
        problems.add("评价标签 " + t + " 无效，请重新选择。");
      }
    }
    if (l.isBad() && profile.rating().badRatingNeedsTagOrComment() && comment == null && tags.stream().noneMatch(codes::isBadTag)) {
      problems.add(NEEDS_REASON);
    }
    return problems;
  }

  private static List<String> messages(List<Violation> violations) {
    return violations.stream().map(Violation::message).distinct().toList();
  }

  private List<ServiceCase> matches(String hall, String window, String lookup) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<ServiceCase> out = new ArrayList<>();
    boolean byMobile = lookup.matches("[0-9]{4}");
    for (ServiceCase c : windowCases.recent(hall, window, now.minus(LOOKBACK), 500)) {
      boolean open = c.isCompleted()
          ? dynamicLinks.closesAt(c).map(now::isBefore).orElse(false)
          : c.acceptedAt() != null && c.acceptedAt().isAfter(now.minus(VISIT));
      if (!open) {
        continue;
      }
      boolean mine = byMobile
          ? c.applicant() != null && c.applicant().mobile() != null && c.applicant().mobile().endsWith(lookup)
          : c.caseNo().equalsIgnoreCase(lookup);
      if (mine) {
        out.add(c);
        if (out.size() == MAX_SHOWN) {
          break;
        }
      }
    }
    return out;
  }

  private static boolean validPlace(String hall, String window) {
    return hall != null && hall.matches("[A-Za-z0-9_.\\-]{1,64}") && (window == null || window.matches("[A-Za-z0-9_.\\-]{1,32}"));
  }

  private static byte[] body(Exchange exchange) {
    byte[] body = exchange.getMessage().getBody(byte[].class);
    return body == null ? new byte[0] : body;
  }

  private void busy(Exchange exchange, StoreException e) {
    LOG.warn("H5 page unavailable: {}", e.getMessage());
    html(exchange, 503, pages.message("系统繁忙", "系统暂时无法处理，请稍后再试。"));
  }

  static void html(Exchange exchange, int status, String html) {
    Message m = exchange.getMessage();
    m.removeHeaders("*");
    m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    m.setHeader(Exchange.CONTENT_TYPE, "text/html;charset=UTF-8");
    m.setHeader("Cache-Control", "no-store");
    m.setHeader("X-Content-Type-Options", "nosniff");
    m.setHeader("X-Frame-Options", "DENY");
    // The token is in the path: no Referer may carry it elsewhere.
    m.setHeader("Referrer-Policy", "no-referrer");
    m.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'");
    m.setBody(html.getBytes(StandardCharsets.UTF_8));
  }

  private static void redirect(Exchange exchange, String location) {
    Message m = exchange.getMessage();
    m.removeHeaders("*");
    m.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
    m.setHeader("Location", location);
    m.setHeader("Cache-Control", "no-store");
    m.setBody(new byte[0]);
  }
}
