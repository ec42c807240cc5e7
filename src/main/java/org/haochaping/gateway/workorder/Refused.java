package org.haochaping.gateway.workorder;

import java.util.List;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.policy.Violation;

/** A request the rules refuse; carries the problem document the API answers with. */
public final class Refused extends RuntimeException {

  private final transient Problem problem;

  public Refused(Problem problem) {
    super(problem.title() + ": " + problem.detail());
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  /** 400 when an input is wrong, otherwise 409: the state does not allow it. */
  public static Refused of(List<Violation> violations) {
    boolean invalid = violations.stream().anyMatch(v -> v.kind() == Violation.Kind.INVALID);
    return new Refused(invalid ? Problem.validation(violations)
        : Problem.of(409, "STATE_CONFLICT", "当前状态不允许该操作", "The current state does not allow this", violations));
  }

  public static Refused notFound(String zh, String en) {
    return new Refused(Problem.notFound(zh + " / " + en));
  }
}
