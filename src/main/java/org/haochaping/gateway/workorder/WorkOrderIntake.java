package org.haochaping.gateway.workorder;

import org.haochaping.gateway.broker.RatingCodec;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.timers.RatingApplications;

/**
 * The {@code workorders} consumer of {@code ratings}: every 不满意/非常不满意 a person gave becomes a
 * 差评工单 (000 第二十三条). A rating the gateway applied to the other cases of a batch or theme makes no
 * second work order: the one of the rating the person gave covers it.
 */
public final class WorkOrderIntake {

  private final RatingCodec codec;
  private final WorkOrders workOrders;
  private final RatingApplications applications;

  public WorkOrderIntake(RatingCodec codec, WorkOrders workOrders, RatingApplications applications) {
    this.codec = codec;
    this.workOrders = workOrders;
    this.applications = applications;
  }

  public void onRating(byte[] body) {
    Rating r = codec.decode(body);
    if (!r.isBad() || applications.appliedFrom(r.ratingId()) != null) {
      return;
    }
    workOrders.create(r);
  }
}
