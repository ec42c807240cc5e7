package org.haochaping.gateway.channel.qr;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.policy.RatingWindow;
import org.haochaping.gateway.store.RatingLinks;

/**
 * Dynamic QR codes: a single-use link to the H5 page for one case, valid until the case's rating
 * window closes (000 第十三条 dynamic QR at integrated halls; 第十四条 self-service terminals show
 * one after the citizen's business is done; 第二十条 the window: 7 natural days after completion).
 */
public final class DynamicLinks {

  /** A link as a terminal or hall system receives it. */
  public record Issued(RatingLinks.Link link, String url, String qrPng) {
    public Map<String, Object> view() {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("url", url);
      v.put("expiresAt", ChinaTime.of(link.expiresAt()));
      v.put("qrPng", qrPng);
      return v;
    }
  }

  private final RatingLinks links;
  private final RatingWindow window;
  private final PublicLinks publicLinks;
  private final Clock clock;

  public DynamicLinks(RatingLinks links, RatingWindow window, PublicLinks publicLinks, Clock clock) {
    this.links = links;
    this.window = window;
    this.publicLinks = publicLinks;
    this.clock = clock;
  }

  /**
   * 000 第十四条: a case done at a self-service terminal gets its dynamic QR in the same answer that
   * reports the completion. Null for any other case.
   */
  public Map<String, Object> forCompletedTerminalCase(ServiceCase c) {
    if (c.mode() != CaseMode.SELF_SERVICE || !c.isCompleted()) {
      return null;
    }
    return issue(c, Channel.QR_DYNAMIC, null, null, null).map(Issued::view).orElse(null);
  }

  /**
   * A usable link for the case: the one already issued for the same channel and target, or a new
   * one. Empty when the rating window is closed (or not open yet).
   *
   * @param notAfter an earlier expiry than the window's close (a static-QR pick lasts a short while), or null
   */
  public Optional<Issued> issue(ServiceCase c, Channel channel, String targetType, String staffId, OffsetDateTime notAfter) {
    Optional<OffsetDateTime> closes = window.closesAt(c);
    OffsetDateTime now = OffsetDateTime.now(clock);
    if (closes.isEmpty() || !closes.get().isAfter(now)) {
      return Optional.empty();
    }
    OffsetDateTime expires = notAfter != null && notAfter.isBefore(closes.get()) ? notAfter : closes.get();
    if (notAfter == null) {
      Optional<RatingLinks.Link> open = links.findUsable(c.caseNo(), channel.name())
          .filter(l -> same(l.targetType(), targetType) && same(l.staffId(), staffId));
      if (open.isPresent()) {
        return open.map(this::issued);
      }
    }
    return Optional.of(issued(links.issue(c.caseNo(), channel.name(), targetType, staffId, expires)));
  }

  public Issued issued(RatingLinks.Link link) {
    return new Issued(link, publicLinks.ratingPage(link.token()), publicLinks.ratingQr(link.token()));
  }

  public Clock clock() {
    return clock;
  }

  public Optional<OffsetDateTime> closesAt(ServiceCase c) {
    return window.closesAt(c);
  }

  private static boolean same(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }
}
