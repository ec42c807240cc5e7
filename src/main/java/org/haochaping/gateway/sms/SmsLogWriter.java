package org.haochaping.gateway.sms;

import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.store.GroupCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The busy writes of the SMS log, submitted SMS and delivery receipts, gathered from every sender and
 * receiver thread into one transaction per batch ({@link GroupCommit}). Each caller returns only once
 * its write is committed: an outbox message is acknowledged, and a receipt answered with
 * deliver_sm_resp, only after that.
 */
public final class SmsLogWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SmsLogWriter.class);

  private final GroupCommit<Object> group;

  public SmsLogWriter(SmsLog log, SmsMetrics metrics, int maxBatch) {
    this.group = new GroupCommit<>("hcp-sms-log-writer", maxBatch, batch -> {
      List<SmsLog.Submission> submissions = new ArrayList<>();
      List<SmsLog.Receipt> receipts = new ArrayList<>();
      for (Object item : batch) {
        if (item instanceof SmsLog.Submission s) {
          submissions.add(s);
        } else {
          receipts.add((SmsLog.Receipt) item);
        }
      }
      for (SmsLog.Change change : Retry.twice(() -> log.write(submissions, receipts))) {
        metrics.changed(change);
        if (change.to().isFinal()) {
          LOG.info("SMS {} {}: {}{}", change.smsId(), change.kind(), change.to(), change.detail() == null ? "" : " (" + change.detail() + ")");
        }
      }
    });
  }

  /** Every part of the SMS was accepted; returns once that is committed. */
  public void submitted(SmsLog.Submission submission) throws InterruptedException {
    group.write(submission);
  }

  /** A delivery receipt; returns once it is committed. */
  public void receipt(SmsLog.Receipt receipt) throws InterruptedException {
    group.write(receipt);
  }

  @Override
  public void close() {
    group.close();
  }
}
