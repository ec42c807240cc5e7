package org.haochaping.gateway.channel.suggestion;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.haochaping.gateway.store.ChannelFeedback;

/**
 * Feedback that names no case, kept for the hall or department (000 第十六条: the hall collects the
 * opinions of its 意见箱 and 意见簿 and answers them) and counted in {@code hcp_feedback_kept_total}
 * by channel and source. It is not a case rating and is never forwarded to the province.
 */
public final class HallFeedback {

  private final ChannelFeedback store;
  private final MeterRegistry meters;

  public HallFeedback(ChannelFeedback store, MeterRegistry meters) {
    this.store = store;
    this.meters = meters;
  }

  /** Keeps the entry; false when the same entry (sourceRef) was kept before. */
  public boolean keep(ChannelFeedback.Entry e) {
    boolean fresh = store.record(e);
    if (fresh) {
      Counter.builder("hcp.feedback.kept").description("Feedback without a case kept for a hall or department")
          .tag("channel", e.channel()).tag("source", e.source()).register(meters).increment();
    }
    return fresh;
  }

  public ChannelFeedback store() {
    return store;
  }
}
