package org.haochaping.gateway.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.broker.DurablePublisher;
import org.haochaping.gateway.broker.RatingCodec;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.model.TargetType;
import org.haochaping.gateway.ops.IngestMetrics;
import org.haochaping.gateway.policy.InputSchema;
import org.haochaping.gateway.policy.Questionnaires;
import org.haochaping.gateway.policy.RatingHistory;
import org.haochaping.gateway.policy.RatingIdentity;
import org.haochaping.gateway.policy.RatingPolicy;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.CaseStore;
import org.haochaping.gateway.store.IdempotencyKeys;
import org.haochaping.gateway.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a rating in canonical form (DESIGN §3) is accepted, whatever channel it came from:
 * schema, inline case, policy, idempotency claim, persistent send to the {@code ratings} address.
 * Only then is it acknowledged. Channels map their payloads to canonical form first and call this.
 */
public final class RatingIntake {

  private static final Logger LOG = LoggerFactory.getLogger(RatingIntake.class);

  /** The result of {@link #prepare}: a rating ready to send, or the outcome that refuses it. */
  public sealed interface Step permits Prepared, Outcome {}

  /** What became of one rating. */
  public record Outcome(Status status, String ratingId, List<Violation> violations, String detail) implements Step {

    public enum Status { ACCEPTED, REPLAYED, INVALID, CASE_UNKNOWN, NOT_ALLOWED, CONFLICT, UNAVAILABLE }

    public boolean accepted() {
      return status == Status.ACCEPTED || status == Status.REPLAYED;
    }

    static Outcome refused(List<Violation> violations) {
      Status status = Status.NOT_ALLOWED;
      for (Violation v : violations) {
        if (v.kind() == Violation.Kind.INVALID) {
          status = Status.INVALID;
          break;
        }
        if (v.kind() == Violation.Kind.CASE_UNKNOWN) {
          status = Status.CASE_UNKNOWN;
        }
      }
      return new Outcome(status, null, List.copyOf(violations), null);
    }

    /** The refusal as a problem document; null when the rating was accepted. */
    public Problem problem() {
      return switch (status) {
        case ACCEPTED, REPLAYED -> null;
        case INVALID -> Problem.validation(violations);
        case CASE_UNKNOWN -> Problem.caseUnknown(violations);
        case NOT_ALLOWED -> Problem.notAllowed(violations);
        case CONFLICT -> Problem.conflict(
            "评价 " + ratingId + " 已使用相同的办件、评价次数、环节和对象，内容不同；如需修改请使用追加评价",
            "rating " + ratingId + " already holds this case, assessNumber, stage and target with different content")
            .with("ratingId", ratingId);
        case UNAVAILABLE -> Problem.unavailable(detail);
      };
    }
  }

  /** A rating that passed every check and holds its key, ready to be sent. */
  public record Prepared(Rating rating, boolean replay) implements Step {}

  private final InputSchema ratingSchema;
  private final CaseIntake caseIntake;
  private final RatingPolicy policy;
  private final CaseStore cases;
  private final IdempotencyKeys keys;
  private final DurablePublisher publisher;
  private final RatingCodec codec;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final Duration sendTimeout;
  private final RatingHistory history;
  private final Questionnaires questionnaires;
  /** Checks the ratings of a batch, case by case, several at once ({@link #submitAll}). */
  private final ExecutorService preparers = Executors.newFixedThreadPool(PREPARERS, r -> {
    Thread t = new Thread(r, "hcp-batch-prepare");
    t.setDaemon(true);
    return t;
  });
  private static final int PREPARERS = 8;

  public RatingIntake(InputSchema ratingSchema, CaseIntake caseIntake, RatingPolicy policy, CaseStore cases,
      IdempotencyKeys keys, DurablePublisher publisher, RatingCodec codec, IngestMetrics metrics, Duration sendTimeout) {
    this(ratingSchema, caseIntake, policy, cases, keys, publisher, codec, metrics, sendTimeout, RatingHistory.UNKNOWN,
        Questionnaires.NONE);
  }

  /**
   * @param history earlier ratings, for the follow-up window and the batch/theme rules ({@link RatingPolicy#checkHistory})
   * @param questionnaires the service items' questionnaires the answers are checked against (000 第八条)
   */
  public RatingIntake(InputSchema ratingSchema, CaseIntake caseIntake, RatingPolicy policy, CaseStore cases,
      IdempotencyKeys keys, DurablePublisher publisher, RatingCodec codec, IngestMetrics metrics, Duration sendTimeout,
      RatingHistory history, Questionnaires questionnaires) {
    this.history = history;
    this.questionnaires = questionnaires;
    this.ratingSchema = ratingSchema;
    this.caseIntake = caseIntake;
    this.policy = policy;
    this.cases = cases;
    this.keys = keys;
    this.publisher = publisher;
    this.codec = codec;
    this.metrics = metrics;
    this.clock = policy.clock();
    this.sendTimeout = sendTimeout;
  }

  /** Checks and durably accepts one rating; returns when it is in the broker journal or refused. */
  public Outcome submit(JsonNode document) {
    long start = System.nanoTime();
    String channel = document.path("channel").asText("UNKNOWN");
    metrics.received(channel);
    Step step = prepare(document);
    Outcome outcome = step instanceof Prepared p ? await(p, send(p)) : (Outcome) step;
    count(channel, outcome);
    metrics.latency(channel, Duration.ofNanos(System.nanoTime() - start));
    return outcome;
  }

  /**
   * Checks and accepts many ratings, sending all accepted ones at once and waiting for all.
   *
   * <p>The ratings of different cases are checked (and their cases stored) on several threads at
   * once. The ratings of one case are taken in the order given, each checked after the one before
   * it holds its key, so that of two with the same natural key the first is accepted and the second
   * is its replay or conflict, and a follow-up sees the rating it follows. A case with one rating in
   * the batch (the usual shape) has nothing to wait for: those ratings are checked first and then
   * claim their keys together, in the order given, in a few commits instead of one round each.
   */
  public List<Outcome> submitAll(List<JsonNode> documents) {
    long start = System.nanoTime();
    Map<String, List<Integer>> byCase = new LinkedHashMap<>();
    for (int i = 0; i < documents.size(); i++) {
      byCase.computeIfAbsent(documents.get(i).path("caseNo").asText(""), k -> new ArrayList<>()).add(i);
    }
    Step[] steps = new Step[documents.size()];
    Checked[] checked = new Checked[documents.size()];
    List<CompletableFuture<Void>> groups = new ArrayList<>(byCase.size());
    for (List<Integer> group : byCase.values()) {
      groups.add(CompletableFuture.runAsync(() -> {
        for (int i : group) {
          metrics.received(documents.get(i).path("channel").asText("UNKNOWN"));
          Checked c = check(documents.get(i));
          if (c.refused() != null) {
            steps[i] = c.refused();
          } else if (group.size() > 1) {
            steps[i] = claim(c);
          } else {
            checked[i] = c;
          }
        }
      }, preparers));
    }
    CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).join();
    claimAll(checked, steps);
    @SuppressWarnings("unchecked")
    CompletableFuture<Void>[] sends = new CompletableFuture[documents.size()];
    for (int i = 0; i < steps.length; i++) {
      sends[i] = steps[i] instanceof Prepared p ? send(p) : null;
    }
    List<Outcome> outcomes = new ArrayList<>(documents.size());
    for (int i = 0; i < steps.length; i++) {
      Outcome o = steps[i] instanceof Prepared p ? await(p, sends[i]) : (Outcome) steps[i];
      String channel = documents.get(i).path("channel").asText("UNKNOWN");
      count(channel, o);
      outcomes.add(o);
    }
    metrics.latency("BATCH", Duration.ofNanos(System.nanoTime() - start));
    return outcomes;
  }

  /** Claims the keys of the checked ratings ({@code checked[i]} not null) together, in order, into {@code steps[i]}. */
  private void claimAll(Checked[] checked, Step[] steps) {
    List<Integer> at = new ArrayList<>();
    List<IdempotencyKeys.Request> requests = new ArrayList<>();
    for (int i = 0; i < checked.length; i++) {
      if (checked[i] != null) {
        at.add(i);
        requests.add(checked[i].request());
      }
    }
    if (requests.isEmpty()) {
      return;
    }
    try {
      List<IdempotencyKeys.Claim> claims = keys.claimAll(requests);
      for (int k = 0; k < at.size(); k++) {
        steps[at.get(k)] = claimed(checked[at.get(k)].rating(), claims.get(k));
      }
    } catch (StoreException e) {
      Outcome unavailable = unavailable(e);
      at.forEach(i -> steps[i] = unavailable);
    }
  }

  /** Stops the batch threads (at shutdown). */
  public void close() {
    preparers.shutdown();
  }

  /** Every check, then the idempotency claim: a {@link Prepared} rating, or the {@link Outcome} that refuses it. */
  public Step prepare(JsonNode document) {
    Checked c = check(document);
    return c.refused() != null ? c.refused() : claim(c);
  }

  /** A rating that passed every check, with the claim it needs; or the outcome that refuses it. */
  private record Checked(Rating rating, IdempotencyKeys.Request request, Outcome refused) {
    static Checked refusedBy(Outcome outcome) {
      return new Checked(null, null, outcome);
    }
  }

  private Step claim(Checked c) {
    try {
      return claimed(c.rating(), keys.claim(c.request()));
    } catch (StoreException e) {
      return unavailable(e);
    }
  }

  private static Step claimed(Rating rating, IdempotencyKeys.Claim claim) {
    return switch (claim.kind()) {
      case NEW -> new Prepared(rating, false);
      // Sent again with the same id: the broker drops the duplicate, or stores it if the first send never got there.
      case REPLAY -> new Prepared(withId(rating, claim.ratingId()), true);
      case CONFLICT -> new Outcome(Outcome.Status.CONFLICT, claim.ratingId(), List.of(), null);
    };
  }

  private static Outcome unavailable(StoreException e) {
    LOG.warn("Rating refused for now, database unavailable: {}", e.getMessage());
    return new Outcome(Outcome.Status.UNAVAILABLE, null, List.of(), "database: " + e.getMessage());
  }

  /** Every check before the idempotency claim: schema, inline case, policy, questionnaire, history. */
  private Checked check(JsonNode document) {
    try {
      List<Violation> violations = new ArrayList<>(ratingSchema.check(document));
      ServiceCase inline = null;
      JsonNode caseDoc = document.get("case");
      if (caseDoc != null && caseDoc.isObject()) {
        CaseIntake.Parsed parsed = caseIntake.parse(caseDoc);
        parsed.violations().forEach(v -> violations.add(v.under("case")));
        inline = parsed.serviceCase();
        if (inline != null && !inline.caseNo().equals(document.path("caseNo").asText())) {
          violations.add(Violation.invalid("case.caseNo", "matchesRating", "内嵌办件的 caseNo 与评价的 caseNo 不一致",
              "case.caseNo differs from the rating's caseNo"));
        }
      }
      if (!violations.isEmpty()) {
        return Checked.refusedBy(Outcome.refused(violations));
      }
      OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
      Rating draft = draft(document, RatingIds.next(clock), now);
      ServiceCase serviceCase = cases.find(draft.caseNo()).orElse(null);
      if (serviceCase == null && inline != null) {
        caseIntake.store(inline);
        serviceCase = inline;
      }
      Target target = serviceCase == null ? draft.target() : draft.target().completedFrom(serviceCase);
      Rating rating = withTarget(draft, target.type() == null ? target.withType(TargetType.ITEM) : target);
      violations.addAll(policy.check(rating, serviceCase));
      violations.addAll(questionnaires.check(rating));
      if (violations.isEmpty()) {
        violations.addAll(policy.checkHistory(rating, serviceCase, history));
      }
      if (!violations.isEmpty()) {
        violations.sort(Comparator.comparing(Violation::field));
        return Checked.refusedBy(Outcome.refused(violations));
      }
      return new Checked(rating, new IdempotencyKeys.Request(RatingIdentity.naturalKey(rating), RatingIdentity.contentHash(document),
          rating.ratingId()), null);
    } catch (StoreException e) {
      return Checked.refusedBy(unavailable(e));
    }
  }

  /**
   * Claims the natural key of a rating the gateway originates itself: the 7-day default (channel
   * SYSTEM_DEFAULT, which {@link RatingPolicy} refuses from clients) or a batch/theme rating applied to
   * another case. The client rules do not apply, the identity rules do: the same key as any rating of
   * that case, stage and target, so a case already rated yields CONFLICT (with the holder's id) and a
   * repeated call yields the same ratingId (REPLAY). The content compared is what the gateway decided
   * (case, stage, channel, level, sourceRef, ratedAt), so the caller must make those deterministic.
   * Send the {@link Prepared} ones with {@link #sendAll}.
   */
  public Step prepareOwn(Rating rating) {
    if (rating.channel() == Channel.SYSTEM_DEFAULT && !rating.defaulted()) {
      throw new IllegalArgumentException("a SYSTEM_DEFAULT rating must be marked defaulted");
    }
    try {
      OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
      Rating r = new Rating(RatingIds.next(clock), rating.sourceRef(), rating.caseNo(), rating.assessNumber(), rating.stage(),
          rating.channel(), rating.level(), rating.level().score(), rating.tags(), rating.comment(), rating.target(),
          rating.evaluator(), rating.visitId(), rating.ratedAt() == null ? now : ChinaTime.of(rating.ratedAt()),
          rating.receivedAt() == null ? now : rating.receivedAt(), rating.defaulted());
      ObjectNode decided = Json.MAPPER.createObjectNode()
          .put("caseNo", r.caseNo()).put("assessNumber", r.assessNumber()).put("stage", r.stage().name())
          .put("channel", r.channel().name()).put("level", r.level().name()).put("sourceRef", r.sourceRef())
          .put("ratedAt", r.ratedAt().toString());
      return claimed(r, keys.claim(RatingIdentity.naturalKey(r), RatingIdentity.contentHash(decided), r.ratingId()));
    } catch (StoreException e) {
      LOG.warn("Gateway rating for case {} not prepared, database unavailable: {}", rating.caseNo(), e.getMessage());
      return new Outcome(Outcome.Status.UNAVAILABLE, null, List.of(), "database: " + e.getMessage());
    }
  }

  /** Sends prepared ratings to the {@code ratings} address at once and waits until the broker holds each. */
  public List<Outcome> sendAll(List<Prepared> prepared) {
    List<CompletableFuture<Void>> sends = new ArrayList<>(prepared.size());
    for (Prepared p : prepared) {
      metrics.received(p.rating().channel().name());
      sends.add(send(p));
    }
    List<Outcome> outcomes = new ArrayList<>(prepared.size());
    for (int i = 0; i < prepared.size(); i++) {
      Outcome o = await(prepared.get(i), sends.get(i));
      count(prepared.get(i).rating().channel().name(), o);
      outcomes.add(o);
    }
    return outcomes;
  }

  private CompletableFuture<Void> send(Prepared p) {
    Rating r = p.rating();
    return publisher.publish(BrokerTopology.RATINGS, codec.encode(r), r.ratingId(),
        Map.of("caseNo", r.caseNo(), "channel", r.channel().name()));
  }

  private Outcome await(Prepared p, CompletableFuture<Void> sent) {
    try {
      sent.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Outcome(p.replay() ? Outcome.Status.REPLAYED : Outcome.Status.ACCEPTED, p.rating().ratingId(), List.of(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(Outcome.Status.UNAVAILABLE, null, List.of(), "interrupted while waiting for the broker");
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      LOG.warn("Rating {} not acknowledged by the broker: {}", p.rating().ratingId(), String.valueOf(cause));
      return new Outcome(Outcome.Status.UNAVAILABLE, null, List.of(), "broker: " + cause);
    }
  }

  private void count(String channel, Outcome o) {
    if (o.accepted()) {
      metrics.accepted(channel, o.status() == Outcome.Status.REPLAYED);
    } else {
      metrics.rejected(channel, o.status().name());
    }
  }

  /** The canonical rating with the gateway's own fields set; the document already passed its schema. */
  private static Rating draft(JsonNode document, String ratingId, OffsetDateTime now) {
    ObjectNode copy = ((ObjectNode) document).deepCopy();
    copy.remove(List.of("case", "ratingId", "score", "receivedAt", "defaulted"));
    Rating in;
    try {
      in = Json.MAPPER.treeToValue(copy, Rating.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("rating passed its schema but cannot be read: " + e.getMessage(), e);
    }
    Target target = in.target() != null ? in.target() : new Target(null, null, null, null, null, null, null, null, null);
    String comment = in.comment() == null || in.comment().isBlank() ? null : in.comment().strip();
    return new Rating(ratingId, in.sourceRef(), in.caseNo(), in.assessNumber() == 0 ? 1 : in.assessNumber(),
        in.stage() == null ? Stage.OVERALL : in.stage(), in.channel(), in.level(), in.level().score(), in.tags(), comment,
        target, in.evaluator() == null || in.evaluator().isEmpty() ? null : in.evaluator(), in.visitId(),
        in.ratedAt() == null ? now : ChinaTime.of(in.ratedAt()), now, false, in.questionnaire());
  }

  private static Rating withTarget(Rating r, Target t) {
    return new Rating(r.ratingId(), r.sourceRef(), r.caseNo(), r.assessNumber(), r.stage(), r.channel(), r.level(), r.score(),
        r.tags(), r.comment(), t, r.evaluator(), r.visitId(), r.ratedAt(), r.receivedAt(), r.defaulted(), r.questionnaire());
  }

  private static Rating withId(Rating r, String ratingId) {
    return new Rating(ratingId, r.sourceRef(), r.caseNo(), r.assessNumber(), r.stage(), r.channel(), r.level(), r.score(),
        r.tags(), r.comment(), r.target(), r.evaluator(), r.visitId(), r.ratedAt(), r.receivedAt(), r.defaulted(), r.questionnaire());
  }
}
