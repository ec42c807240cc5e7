package org.haochaping.gateway.policy;

import java.util.List;
import org.haochaping.gateway.model.TargetType;

/**
 * An agency's score: 000 第六条 the mean of every rating the agency received; 002 第四条 the mean of the
 * direct ratings of its window staff. A corrected rating (误评/恶意评价, 000 第二十五条; system-caused,
 * 002 第十三条) does not count. The statistics module computes every dimension; this is the rule it
 * must honour, and what the work-order tests check.
 */
public final class AgencyScore {

  /** One rating as the score sees it. */
  public record Scored(int score, TargetType target, boolean corrected) {}

  /** The mean (null when nothing counts), how many ratings counted and how many were left out as corrected. */
  public record Result(Double mean, int counted, int corrected) {}

  private AgencyScore() {}

  public static Result of(PolicyProfile profile, List<Scored> ratings) {
    boolean staffOnly = profile.scoring().agencyFromStaffRatingsOnly();
    long sum = 0;
    int counted = 0;
    int corrected = 0;
    for (Scored s : ratings) {
      if (staffOnly && !s.target().ratesStaff()) {
        continue;
      }
      if (s.corrected()) {
        corrected++;
        continue;
      }
      sum += s.score();
      counted++;
    }
    return new Result(counted == 0 ? null : (double) sum / counted, counted, corrected);
  }
}
