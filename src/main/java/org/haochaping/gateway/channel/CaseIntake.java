package org.haochaping.gateway.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.ops.IngestMetrics;
import org.haochaping.gateway.policy.CaseRules;
import org.haochaping.gateway.policy.InputSchema;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.store.CaseStore;

/**
 * How a case (办件) and its events are accepted: schema, case rules, then stored in the database
 * before the answer. Completion is what later starts prompts and timers.
 */
public final class CaseIntake {

  /** A case read from a document, or why it could not be. */
  public record Parsed(ServiceCase serviceCase, List<Violation> violations) {}

  /** What became of a push or an event. */
  public record Outcome(Status status, ServiceCase serviceCase, List<Violation> violations) {
    public enum Status { CREATED, UPDATED, INVALID, NOT_ALLOWED, NOT_FOUND }

    public Problem problem() {
      return switch (status) {
        case CREATED, UPDATED -> null;
        case INVALID -> Problem.validation(violations);
        case NOT_ALLOWED -> Problem.of(409, "CASE_STATE_CONFLICT", "办件状态不允许该变更", "The case's state does not allow this change", violations);
        case NOT_FOUND -> Problem.notFound("办件不存在 / case not found");
      };
    }
  }

  private final InputSchema caseSchema;
  private final InputSchema eventSchema;
  private final CaseRules rules;
  private final CaseStore store;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final CaseEventPublisher events;

  public CaseIntake(InputSchema caseSchema, InputSchema eventSchema, CaseRules rules, CaseStore store, IngestMetrics metrics,
      Clock clock, CaseEventPublisher events) {
    this.caseSchema = caseSchema;
    this.eventSchema = eventSchema;
    this.rules = rules;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.events = events;
  }

  /** Schema and rules that need no stored state. */
  public Parsed parse(JsonNode document) {
    List<Violation> violations = new ArrayList<>(caseSchema.check(document));
    if (!violations.isEmpty()) {
      return new Parsed(null, violations);
    }
    ServiceCase c = normalise(readCase(document));
    violations.addAll(rules.check(c, null));
    return new Parsed(violations.isEmpty() ? c : null, violations);
  }

  public Outcome push(JsonNode document) {
    Parsed parsed = parse(document);
    if (parsed.serviceCase() == null) {
      metrics.casePushed("INVALID");
      return new Outcome(Outcome.Status.INVALID, null, parsed.violations());
    }
    ServiceCase c = parsed.serviceCase();
    ServiceCase existing = store.find(c.caseNo()).orElse(null);
    List<Violation> violations = rules.check(c, existing);
    if (!violations.isEmpty()) {
      metrics.casePushed("NOT_ALLOWED");
      return new Outcome(Outcome.Status.NOT_ALLOWED, existing, violations);
    }
    events.publishIfMoved(existing, c, now());
    CaseStore.Outcome stored = store.upsert(c);
    metrics.casePushed(stored.name());
    return new Outcome(stored == CaseStore.Outcome.CREATED ? Outcome.Status.CREATED : Outcome.Status.UPDATED, c, List.of());
  }

  /** Stores a case that already passed {@link #parse} (a rating's inline case). */
  public void store(ServiceCase c) {
    events.publishIfMoved(null, c, now());
    store.upsert(c);
    metrics.casePushed("INLINE");
  }

  /** The case moved on: accepted, in progress, completed. A status never goes back; the same event twice is harmless. */
  public Outcome event(String caseNo, JsonNode document) {
    List<Violation> violations = new ArrayList<>(eventSchema.check(document));
    if (!violations.isEmpty()) {
      return new Outcome(Outcome.Status.INVALID, null, violations);
    }
    ServiceCase existing = store.find(caseNo).orElse(null);
    if (existing == null) {
      return new Outcome(Outcome.Status.NOT_FOUND, null, List.of());
    }
    CaseStatus to = CaseStatus.valueOf(document.get("type").asText());
    OffsetDateTime at = document.hasNonNull("at") ? ChinaTime.of(OffsetDateTime.parse(document.get("at").asText())) : now();
    OffsetDateTime completedAt = to == CaseStatus.COMPLETED ? (existing.isCompleted() ? existing.completedAt() : at) : existing.completedAt();
    ServiceCase moved = new ServiceCase(existing.caseNo(), existing.taskCode(), existing.itemName(), existing.deptCode(),
        existing.deptName(), existing.areaCode(), text(document, "hallCode", existing.hallCode()),
        text(document, "windowNo", existing.windowNo()), text(document, "staffId", existing.staffId()),
        text(document, "staffName", existing.staffName()), existing.businessLine(), existing.mode(),
        existing.projectType(), existing.applicant(), to, existing.acceptedAt(), completedAt, existing.promiseDays(),
        text(document, "visitId", existing.visitId()), existing.themeId());
    violations.addAll(rules.check(moved, existing));
    if (!violations.isEmpty()) {
      return new Outcome(violations.stream().anyMatch(v -> v.kind() == Violation.Kind.INVALID)
          ? Outcome.Status.INVALID : Outcome.Status.NOT_ALLOWED, existing, violations);
    }
    events.publishIfMoved(existing, moved, at);
    store.upsert(moved);
    return new Outcome(Outcome.Status.UPDATED, moved, List.of());
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  public java.util.Optional<ServiceCase> find(String caseNo) {
    return store.find(caseNo);
  }

  private static ServiceCase readCase(JsonNode document) {
    try {
      return Json.MAPPER.treeToValue(document, ServiceCase.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("case passed its schema but cannot be read: " + e.getMessage(), e);
    }
  }

  /** Defaults a departmental system may leave out. */
  private static ServiceCase normalise(ServiceCase c) {
    CaseStatus status = c.status() != null ? c.status() : c.completedAt() != null ? CaseStatus.COMPLETED : CaseStatus.ACCEPTED;
    ProjectType type = c.projectType() != null ? c.projectType()
        : c.promiseDays() != null && c.promiseDays() > 0 ? ProjectType.PROMISED : ProjectType.IMMEDIATE;
    return new ServiceCase(c.caseNo(), c.taskCode(), c.itemName(), c.deptCode(), c.deptName(), c.areaCode(), c.hallCode(),
        c.windowNo(), c.staffId(), c.staffName(), c.businessLine(), c.mode(), type,
        c.applicant() == null || c.applicant().isEmpty() ? null : c.applicant(), status, ChinaTime.of(c.acceptedAt()),
        ChinaTime.of(c.completedAt()), c.promiseDays(), c.visitId(), c.themeId());
  }

  private static String text(JsonNode document, String field, String fallback) {
    return document.hasNonNull(field) ? document.get(field).asText() : fallback;
  }
}
