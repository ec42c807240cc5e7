package org.haochaping.gateway.ops;

import java.util.List;

/**
 * A dead-letter queue an operator can look into and replay from {@code /api/v1/admin/dlq/{name}}:
 * messages a consumer gave up on, each with the reason (for province.forward: the province's code
 * and message). Entries never show personal data.
 */
public interface DeadLetterQueue {

  /** The name in the admin path, e.g. {@code province.forward}. */
  String name();

  /** Entries, oldest first. */
  Page list(int offset, int limit);

  /**
   * Sends entries again, after their cause was fixed; {@code ids} empty = every entry, up to
   * {@code limit}. Answers once the replayed messages are durable on the broker.
   */
  Replayed replay(List<String> ids, int limit) throws Exception;

  /**
   * Gives the entries up for good: they leave the queue, their ratings keep the status they have
   * (e.g. REJECTED_BY_PROVINCE). Answers which were discarded and which were not in the queue.
   */
  Replayed discard(List<String> ids);

  /** One page of entries and how many there are in all. */
  record Page(long total, List<?> entries) {}

  /** What a replay sent again, and which of the asked-for ids were not in the queue. */
  record Replayed(List<String> ids, List<String> notFound) {}
}
