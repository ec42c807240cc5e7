package org.haochaping.gateway.sms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.RatingIntake;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Masking;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.CaseStore;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replies from handsets (route {@code sms-replies}): a long reply is assembled from its parts, read
 * with {@link SmsReplyParser}, tied to its case ({@link SmsConversations}) and acted on.
 *
 * <ul>
 *   <li>{@code 1}..{@code 4} or a level word: an SMS-channel rating of the case, evaluator = the
 *       case's applicant, through the same intake as every channel; the citizen gets a thank-you.
 *   <li>不满意 / 非常不满意 without a reason: the gateway asks for one (000 第七条 requires a tag or a
 *       reason) and the next text becomes the comment; then the rating is submitted.
 *   <li>{@code TD} / {@code 退订}: no more prompts or reminders to this number.
 *   <li>anything else: a short help text (at most {@code hcp.sms.autoRepliesPerDay} a day per number).
 * </ul>
 *
 * Every answer is a stable SMS id derived from the reply, so a reply delivered twice is answered once.
 */
public final class SmsReplies {

  private static final Logger LOG = LoggerFactory.getLogger(SmsReplies.class);

  private final SmsConversations conversations;
  private final SmsOptOuts optOuts;
  private final MoParts moParts;
  private final SmsOutbox outbox;
  private final SmsTemplates templates;
  private final SmsLog log;
  private final CaseStore cases;
  private final RatingIntake intake;
  private final PersonalDataCipher cipher;
  private final SmsSettings settings;
  private final SmsMetrics metrics;
  private final int commentMaxLength;
  private final Clock clock;

  public SmsReplies(SmsConversations conversations, SmsOptOuts optOuts, MoParts moParts, SmsOutbox outbox, SmsTemplates templates,
      SmsLog log, CaseStore cases, RatingIntake intake, PersonalDataCipher cipher, SmsSettings settings, SmsMetrics metrics,
      int commentMaxLength, Clock clock) {
    this.conversations = conversations;
    this.optOuts = optOuts;
    this.moParts = moParts;
    this.outbox = outbox;
    this.templates = templates;
    this.log = log;
    this.cases = cases;
    this.intake = intake;
    this.cipher = cipher;
    this.settings = settings;
    this.metrics = metrics;
    this.commentMaxLength = commentMaxLength;
    this.clock = clock;
  }

  /** One reply from the broker queue; a failure (database, broker) sends it back for redelivery. */
  public void handle(byte[] body) {
    InboundMessage m = Json.read(body, InboundMessage.class);
    String mobile = new String(cipher.open(m.mobileSealed()), StandardCharsets.UTF_8);
    MoText part = MoText.decode(m.dataCoding(), m.esmClass(), m.userData());
    String text;
    if (part.isPart()) {
      Optional<String> whole = moParts.add(m.mobileHash(), m.destAddr(), part);
      if (whole.isEmpty()) {
        return; // the other parts will complete it
      }
      text = whole.get();
    } else {
      text = part.text();
    }
    answer(m, mobile, text);
  }

  private void answer(InboundMessage m, String mobile, String text) {
    SmsReply reply = SmsReplyParser.parse(text);
    String extension = conversations.extensionOf(m.destAddr(), settings.serviceNumber());
    OffsetDateTime now = OffsetDateTime.now(clock);
    SmsConversations.Conversation conv = extension == null ? null : conversations.find(m.mobileHash(), extension)
        .filter(c -> now.isBefore(c.expiresAt())).orElse(null);
    if (conv == null) {
      conv = conversations.mostRecentOpen(m.mobileHash()).orElse(null);
    }
    String from = conv != null ? settings.serviceNumber() + conv.extension()
        : extension != null ? settings.serviceNumber() + extension : settings.serviceNumber();
    Reply r = new Reply(m, mobile, from, conv);

    if (reply instanceof SmsReply.OptOut) {
      optOuts.optOut(m.mobileHash());
      send(r, SmsKind.OPT_OUT, Map.of());
      outcome(r, "OPT_OUT");
      return;
    }
    if (conv == null) {
      autoReply(r, SmsKind.NOTHING_PENDING);
      outcome(r, "NOTHING_PENDING");
      return;
    }
    ServiceCase sc = cases.find(conv.caseNo()).orElse(null);
    if (sc == null) {
      autoReply(r, SmsKind.NOTHING_PENDING);
      outcome(r, "CASE_UNKNOWN");
      return;
    }
    if (reply instanceof SmsReply.Rate rate) {
      if (conv.state() == SmsConversations.State.RATED) {
        send(r, SmsKind.ALREADY_RATED, caseValues(sc));
        outcome(r, "ALREADY_RATED");
      } else if (rate.level().isBad() && rate.comment() == null) {
        // 000 第七条: a bad rating needs a tag or a reason; by SMS the reason is the next text
        conversations.awaitReason(conv, rate.level());
        Map<String, String> v = caseValues(sc);
        v.put("level", rate.level().label());
        send(r, SmsKind.REASON_REQUEST, v);
        outcome(r, "REASON_REQUESTED");
      } else {
        rate(r, sc, rate.level(), rate.comment());
      }
      return;
    }
    SmsReply.Text free = (SmsReply.Text) reply;
    if (conv.state() == SmsConversations.State.AWAITING_REASON && !free.isBlank()) {
      rate(r, sc, conv.pendingLevel(), free.text());
    } else if (conv.state() == SmsConversations.State.RATED) {
      // a few words after rating (thanks, a remark): nothing more to ask
      outcome(r, "IGNORED_AFTER_RATING");
    } else {
      autoReply(r, SmsKind.HELP);
      outcome(r, "HELP");
    }
  }

  private void rate(Reply r, ServiceCase sc, Level level, String comment) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("caseNo", sc.caseNo());
    doc.put("channel", Channel.SMS.name());
    doc.put("level", level.name());
    if (comment != null && !comment.isBlank()) {
      String c = comment.strip();
      doc.put("comment", c.length() > commentMaxLength ? c.substring(0, commentMaxLength) : c);
    }
    // the reply is the rating's source: a redelivered reply is the same rating (same ratingId)
    doc.put("sourceRef", "sms-mo:" + r.mo().moId());
    doc.put("ratedAt", r.mo().receivedAt().toString());
    if (sc.applicant() != null) {
      // the evaluator is the applicant the prompt was sent to (the reply comes from that mobile)
      doc.set("evaluator", Json.MAPPER.valueToTree(sc.applicant()));
    }
    RatingIntake.Outcome o = intake.submit(doc);
    Map<String, String> v = caseValues(sc);
    switch (o.status()) {
      case ACCEPTED, REPLAYED -> {
        conversations.rated(r.conversation(), o.ratingId());
        v.put("level", level.label());
        send(r, SmsKind.THANKS, v);
        outcome(r, "RATED");
        LOG.info("Reply {} from {} rated case {} {} (rating {})", r.mo().moId(), Masking.mobile(r.mobile()), sc.caseNo(),
            level, o.ratingId());
      }
      case CONFLICT -> {
        conversations.rated(r.conversation(), o.ratingId());
        send(r, SmsKind.ALREADY_RATED, v);
        outcome(r, "ALREADY_RATED");
      }
      case INVALID, NOT_ALLOWED, CASE_UNKNOWN -> {
        Violation first = o.violations().isEmpty() ? null : o.violations().get(0);
        v.put("reason", first == null ? "不符合评价规则" : first.message());
        send(r, SmsKind.RATING_REFUSED, v);
        outcome(r, "REFUSED");
        LOG.info("Reply {} for case {} refused: {}", r.mo().moId(), sc.caseNo(), o.violations());
      }
      case UNAVAILABLE -> throw new IllegalStateException("rating intake unavailable (" + o.detail() + "); the reply is redelivered");
    }
  }

  private void autoReply(Reply r, SmsKind kind) {
    // an answer to every stray text would let anyone make the gateway send SMS: a few a day per number
    int sent = log.countForMobile(r.mo().mobileHash(), EnumSet.of(SmsKind.HELP, SmsKind.NOTHING_PENDING),
        OffsetDateTime.now(clock).minusDays(1));
    if (sent < settings.autoRepliesPerDay()) {
      send(r, kind, Map.of());
    }
  }

  private void send(Reply r, SmsKind kind, Map<String, String> values) {
    outbox.enqueue(new SmsOutbox.Outgoing("reply:" + r.mo().moId() + ":" + kind, kind,
        r.conversation() == null ? null : r.conversation().caseNo(), r.mobile(), r.from(), templates.render(kind, values)));
  }

  private void outcome(Reply r, String outcome) {
    metrics.reply(outcome);
    LOG.debug("Reply {} from {}: {}", r.mo().moId(), Masking.mobile(r.mobile()), outcome);
  }

  private static Map<String, String> caseValues(ServiceCase sc) {
    Map<String, String> v = new HashMap<>();
    v.put("itemName", sc.itemName());
    v.put("deptName", sc.deptName() == null ? "" : sc.deptName());
    v.put("caseNo", sc.caseNo());
    return v;
  }

  private record Reply(InboundMessage mo, String mobile, String from, SmsConversations.Conversation conversation) {}
}
