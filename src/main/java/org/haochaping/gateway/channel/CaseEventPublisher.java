package org.haochaping.gateway.channel;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.broker.DurablePublisher;
import org.haochaping.gateway.model.CaseEvent;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.store.StoreException;

/**
 * Publishes a {@link CaseEvent} when a case arrives or its status changes, durably and before the
 * case row is written: if the write then fails the client retries, and the broker's duplicate
 * detection (id {@code case:<caseNo>:<status>}) drops the repeated event.
 */
public final class CaseEventPublisher {

  private final DurablePublisher publisher;
  private final Duration timeout;

  public CaseEventPublisher(DurablePublisher publisher, Duration timeout) {
    this.publisher = publisher;
    this.timeout = timeout;
  }

  public void publishIfMoved(ServiceCase before, ServiceCase after, OffsetDateTime at) {
    if (before != null && before.status() == after.status()) {
      return;
    }
    CaseEvent event = CaseEvent.of(before, after, at);
    try {
      publisher.publish(BrokerTopology.CASE_EVENTS, Json.bytes(event), "case:" + after.caseNo() + ":" + after.status(),
          Map.of("caseNo", after.caseNo(), "status", after.status().name()))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while publishing the case event", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new StoreException("broker did not take the case event: " + e, e);
    }
  }
}
