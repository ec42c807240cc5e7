package org.haochaping.gateway.sms;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.store.RatingLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what is due (route {@code sms-schedule}): the prompt after completion, the reminder, work
 * order feedback. Each due row is decided once, under its row lock, against the rules:
 *
 * <ul>
 *   <li>not when the case is rated already (000 第二十条: the reminder is for the unrated);
 *   <li>not after the rating period (the 7-day default rating, 000 第二十条 / 002 第八条);
 *   <li>at most {@code sms.maxPerCase} prompts and reminders per case and {@code reminder.maxPerCase}
 *       reminders (profile), one prompt; no reminder where the profile has none (guangxi);
 *   <li>never to a number that replied TD;
 *   <li>outside the quiet hours: a row due in them waits for their end.
 * </ul>
 */
public final class SmsScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(SmsScheduler.class);

  /** How long a trigger may wait for its case to appear (or show completed) in the case store. */
  static final Duration STORE_GRACE = Duration.ofMinutes(10);

  /** When a row that could not be decided is tried again. */
  static final Duration RETRY = Duration.ofMinutes(1);

  private final SmsSchedule schedule;
  private final SmsLog log;
  private final SmsOptOuts optOuts;
  private final SmsConversations conversations;
  private final RatedCases rated;
  private final org.haochaping.gateway.store.CaseStore cases;
  private final RatingLinks links;
  private final SmsTemplates templates;
  private final SmsOutbox outbox;
  private final PolicyProfile profile;
  private final SmsSettings settings;
  private final SmsMetrics metrics;
  private final org.haochaping.gateway.store.PersonalDataCipher cipher;
  private final Clock clock;

  public SmsScheduler(SmsSchedule schedule, SmsLog log, SmsOptOuts optOuts, SmsConversations conversations, RatedCases rated,
      org.haochaping.gateway.store.CaseStore cases, RatingLinks links, SmsTemplates templates, SmsOutbox outbox,
      PolicyProfile profile, SmsSettings settings, SmsMetrics metrics, org.haochaping.gateway.store.PersonalDataCipher cipher,
      Clock clock) {
    this.schedule = schedule;
    this.log = log;
    this.optOuts = optOuts;
    this.conversations = conversations;
    this.rated = rated;
    this.cases = cases;
    this.links = links;
    this.templates = templates;
    this.outbox = outbox;
    this.profile = profile;
    this.settings = settings;
    this.metrics = metrics;
    this.cipher = cipher;
    this.clock = clock;
  }

  /** One poll: every due row, a batch at a time. Returns how many rows were decided. */
  public int runDue() {
    int total = 0;
    int n;
    do {
      n = schedule.runDue(settings.scheduleBatch(), this::decide);
      total += n;
    } while (n == settings.scheduleBatch());
    return total;
  }

  /** The delay between completion and the prompt: window cases first get the chance to rate at the window. */
  public Duration promptDelay(CaseMode mode) {
    return mode == CaseMode.WINDOW ? settings.windowPromptDelay() : settings.promptDelay();
  }

  SmsSchedule.Decision decide(SmsSchedule.Due due) {
    SmsSchedule.Decision d;
    try {
      d = switch (due.kind()) {
        case PROMPT, REMINDER -> solicit(due);
        case WORK_ORDER_FEEDBACK -> feedback(due);
        default -> new SmsSchedule.Done("NOT_SCHEDULABLE");
      };
    } catch (RuntimeException e) {
      // one row that cannot be decided now (broker or database trouble, bad data) must not hold up the others
      LOG.warn("{} for case {} not decided ({}); trying again in a minute", due.kind(), due.caseNo(), e.toString());
      return new SmsSchedule.Later(OffsetDateTime.now(clock).plus(RETRY));
    }
    if (d instanceof SmsSchedule.Done done && !done.outcome().equals("SENT")) {
      metrics.skipped(due.kind(), done.outcome());
      LOG.info("{} for case {} not sent: {}", due.kind(), due.caseNo(), done.outcome());
    }
    return d;
  }

  private SmsSchedule.Decision solicit(SmsSchedule.Due due) {
    SmsKind kind = due.kind();
    if (kind == SmsKind.REMINDER && !profile.reminder().enabled()) {
      return new SmsSchedule.Done("NO_REMINDER_IN_PROFILE");
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    ServiceCase sc = cases.find(due.caseNo()).orElse(null);
    if (sc == null || !sc.isCompleted()) {
      // the case event is published before the case is stored (CaseIntake): give the store a moment
      return now.isBefore(due.createdAt().plus(STORE_GRACE)) ? new SmsSchedule.Later(now.plusSeconds(1))
          : new SmsSchedule.Done(sc == null ? "CASE_UNKNOWN" : "NOT_COMPLETED");
    }
    String mobile = sc.applicant() == null ? null : sc.applicant().mobile();
    if (mobile == null || mobile.isBlank()) {
      return new SmsSchedule.Done("NO_MOBILE");
    }
    OffsetDateTime closes = ratingPeriodEnd(sc);
    if (!now.isBefore(closes)) {
      return new SmsSchedule.Done("RATING_PERIOD_OVER");
    }
    if (rated.isRated(sc.caseNo())) {
      return new SmsSchedule.Done("ALREADY_RATED");
    }
    String hash = cipher.mobileIndex(mobile);
    if (optOuts.optedOut(hash)) {
      return new SmsSchedule.Done("OPTED_OUT");
    }
    // 000 第十五条/第二十条: a prompt and one reminder; counted in the SMS log, whatever their status
    if (log.countForCase(sc.caseNo(), EnumSet.of(SmsKind.PROMPT, SmsKind.REMINDER)) >= profile.sms().maxPerCase()) {
      return new SmsSchedule.Done("CASE_LIMIT");
    }
    if (kind == SmsKind.REMINDER && log.countForCase(sc.caseNo(), EnumSet.of(SmsKind.REMINDER)) >= profile.reminder().maxPerCase()) {
      return new SmsSchedule.Done("REMINDER_LIMIT");
    }
    if (kind == SmsKind.PROMPT && log.countForCase(sc.caseNo(), EnumSet.of(SmsKind.PROMPT)) >= 1) {
      return new SmsSchedule.Done("ALREADY_PROMPTED");
    }
    SmsSchedule.Decision quiet = quiet(kind, now);
    if (quiet != null) {
      return quiet;
    }
    String extension = conversations.open(hash, sc.caseNo(), closes);
    TargetType target = sc.mode() == CaseMode.WINDOW && sc.staffId() != null ? TargetType.ITEM_AND_STAFF : TargetType.ITEM;
    RatingLinks.Link link = links.issue(sc.caseNo(), "SMS", target.name(), sc.staffId(), closes);
    Map<String, String> v = values(sc);
    v.put("link", settings.publicBaseUrl() + "/r/" + link.token());
    outbox.enqueue(new SmsOutbox.Outgoing(kind + ":" + sc.caseNo(), kind, sc.caseNo(), mobile,
        settings.serviceNumber() + extension, templates.render(kind, v)));
    return new SmsSchedule.Done("SENT");
  }

  private SmsSchedule.Decision feedback(SmsSchedule.Due due) {
    JsonNode detail;
    try {
      detail = Json.MAPPER.readTree(due.detail() == null ? "{}" : due.detail());
    } catch (IOException e) {
      return new SmsSchedule.Done("BAD_DETAIL");
    }
    ServiceCase sc = cases.find(due.caseNo()).orElse(null);
    if (sc == null) {
      OffsetDateTime now = OffsetDateTime.now(clock);
      return now.isBefore(due.createdAt().plus(STORE_GRACE)) ? new SmsSchedule.Later(now.plusSeconds(1))
          : new SmsSchedule.Done("CASE_UNKNOWN");
    }
    // 000 第二十三条: the result goes back to the person who rated; the applicant when the ledger has no evaluator
    String ratingId = detail.path("ratingId").asText(null);
    Person to = rated.badRatingEvaluator(sc.caseNo(), ratingId).orElse(sc.applicant());
    if (to == null || to.mobile() == null || to.mobile().isBlank()) {
      return new SmsSchedule.Done("NO_MOBILE");
    }
    SmsSchedule.Decision quiet = quiet(SmsKind.WORK_ORDER_FEEDBACK, OffsetDateTime.now(clock));
    if (quiet != null) {
      return quiet;
    }
    String workOrderId = detail.path("workOrderId").asText("");
    Map<String, String> v = values(sc);
    v.put("workOrderId", workOrderId);
    v.put("result", detail.path("result").asText(""));
    outbox.enqueue(new SmsOutbox.Outgoing("WORK_ORDER_FEEDBACK:" + sc.caseNo() + ":" + workOrderId,
        SmsKind.WORK_ORDER_FEEDBACK, sc.caseNo(), to.mobile(), settings.serviceNumber(), templates.render(SmsKind.WORK_ORDER_FEEDBACK, v)));
    return new SmsSchedule.Done("SENT");
  }

  private SmsSchedule.Decision quiet(SmsKind kind, OffsetDateTime now) {
    if (settings.quietHours() == null || !kind.quietHoursApply()) {
      return null;
    }
    Instant allowed = settings.quietHours().nextAllowed(now.toInstant(), settings.zone());
    return allowed.isAfter(now.toInstant()) ? new SmsSchedule.Later(ChinaTime.of(allowed.atOffset(now.getOffset()))) : null;
  }

  /**
   * When the case can no longer be rated by the citizen: the default rating's time (000 第二十条:
   * 7 natural days after completion; 002 第八条 likewise), which is also when the SMS link expires.
   */
  OffsetDateTime ratingPeriodEnd(ServiceCase sc) {
    OffsetDateTime completed = sc.completedAt() != null ? sc.completedAt() : OffsetDateTime.now(clock);
    PolicyProfile.DefaultRating dr = profile.defaultRating();
    if (dr == null || !dr.enabled() || dr.after() == null) {
      return completed.plusDays(7);
    }
    return switch (dr.after().unit()) {
      case HOURS -> completed.plusHours(dr.after().amount());
      case NATURAL_DAYS -> completed.plusDays(dr.after().amount());
      // no profile counts the default in working days; if one did, two weekend days per five and a week of holidays keep the link open long enough
      case WORKING_DAYS -> completed.plusDays(dr.after().amount() + 2L * ((dr.after().amount() + 4) / 5) + 7);
    };
  }

  private static Map<String, String> values(ServiceCase sc) {
    Map<String, String> v = new HashMap<>();
    v.put("itemName", sc.itemName());
    v.put("deptName", sc.deptName() == null ? "" : sc.deptName());
    v.put("caseNo", sc.caseNo());
    return v;
  }
}
