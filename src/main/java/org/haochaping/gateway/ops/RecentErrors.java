package org.haochaping.gateway.ops;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * The last errors of the gateway, for the console and the admin overview: every failed exchange of
 * a route (its id and the exception, never the message body), and what modules report themselves
 * (a peer refusing, a bind dropped). Kept in memory, newest first, at most {@link #CAPACITY}.
 */
public final class RecentErrors extends EventNotifierSupport {

  static final int CAPACITY = 200;

  /** One error as a person on call reads it. */
  public record Entry(OffsetDateTime at, String source, String error, String message) {}

  private final Deque<Entry> entries = new ArrayDeque<>();
  private final Clock clock;

  public RecentErrors(Clock clock) {
    this.clock = clock;
    setIgnoreCamelContextEvents(true);
    setIgnoreRouteEvents(true);
    setIgnoreServiceEvents(true);
    setIgnoreStepEvents(true);
    setIgnoreExchangeCreatedEvent(true);
    setIgnoreExchangeCompletedEvent(true);
    setIgnoreExchangeSendingEvents(true);
    setIgnoreExchangeSentEvents(true);
    setIgnoreExchangeRedeliveryEvents(true);
  }

  @Override
  public boolean isEnabled(CamelEvent event) {
    return event instanceof CamelEvent.ExchangeFailedEvent;
  }

  @Override
  public void notify(CamelEvent event) {
    if (event instanceof CamelEvent.ExchangeFailedEvent failed) {
      Throwable e = failed.getExchange().getException();
      String route = failed.getExchange().getFromRouteId();
      record("route:" + route, e == null ? "failed" : e.getClass().getSimpleName(), e == null ? null : e.getMessage());
    }
  }

  public synchronized void record(String source, String error, String message) {
    entries.addFirst(new Entry(OffsetDateTime.now(clock), source, error, message == null ? null : shorten(message)));
    while (entries.size() > CAPACITY) {
      entries.removeLast();
    }
  }

  public synchronized List<Entry> latest(int limit) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (out.size() >= limit) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  private static String shorten(String s) {
    // Messages of our own exceptions carry no personal data; a long one (a stack of causes) is cut.
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }
}
