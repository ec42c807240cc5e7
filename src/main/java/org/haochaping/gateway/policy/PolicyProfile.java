package org.haochaping.gateway.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.haochaping.gateway.model.AppealReason;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Stage;

/**
 * A regulation turned into data: {@code mappings/policy/<name>.yaml}. Each value in the file
 * cites its article; the rule classes read them from here and nowhere else.
 */
public record PolicyProfile(
    String profile,
    String title,
    String codes,
    String dataSource,
    RatingRules rating,
    Reminder reminder,
    DefaultRating defaultRating,
    ContentReview contentReview,
    WorkOrderRules workOrder,
    AppealRules appeal,
    SmsRules sms,
    Scoring scoring,
    StatisticsRules statistics) {

  public PolicyProfile {
    scoring = scoring == null ? new Scoring(false) : scoring;
    statistics = statistics == null ? StatisticsRules.defaults() : statistics;
  }

  public enum Unit { HOURS, NATURAL_DAYS, WORKING_DAYS }

  /** An amount of time as a regulation states it. */
  public record Span(int amount, Unit unit) {}

  public record RatingRules(
      boolean badRatingNeedsTagOrComment,
      int commentMaxLength,
      boolean itemRatingNeedsCompletion,
      boolean staffRatingNeedsCompletion,
      List<Stage> stages,
      List<Stage> stagesBeforeCompletion,
      FollowUp followUp,
      boolean batchVisitRatedOnce,
      boolean themeOverallAppliesToAll) {

    public RatingRules {
      stages = stages == null ? List.of(Stage.OVERALL) : List.copyOf(stages);
      stagesBeforeCompletion = stagesBeforeCompletion == null ? List.of() : List.copyOf(stagesBeforeCompletion);
      followUp = followUp == null ? new FollowUp(false, null) : followUp;
    }
  }

  public record FollowUp(boolean enabled, Span within) {}

  public record Reminder(boolean enabled, Span after, int maxPerCase) {}

  public enum DefaultFrom { COMPLETION, ACCEPTANCE_OR_COMPLETION }

  /**
   * The default rating of an unrated case. {@code stoppedByStaffRating}: whether a rating of the staff
   * alone counts as rating the case (000 第二十条 defaults the 服务事项, so no; 002 第四条/第八条 rate the
   * window staff, so yes).
   */
  public record DefaultRating(boolean enabled, Span after, DefaultFrom from, Level level, boolean stoppedByStaffRating) {}

  public record ContentReview(boolean enabled, Span within) {}

  public record WorkOrderRules(Span rectify, Span report, boolean explainInsteadOfRectify) {}

  /**
   * Staff appeals against bad ratings. {@code file}/{@code verify}: windows to appeal and to verify the
   * appeal (null: the regulation sets none); {@code correctionReasons}: what, once found, removes a bad
   * rating from the statistics.
   */
  public record AppealRules(Span file, Span verify, boolean systemCausedRevoked, List<AppealReason> correctionReasons) {
    public AppealRules {
      correctionReasons = correctionReasons == null ? List.of() : List.copyOf(correctionReasons);
    }
  }

  public record SmsRules(int maxPerCase) {}

  /**
   * How an agency's score is formed. {@code agencyFromStaffRatingsOnly}: 002 第四条 scores an agency by the
   * direct ratings of its window staff; 000 第六条 by every rating the agency received.
   */
  public record Scoring(boolean agencyFromStaffRatingsOnly) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Loads {@code mappings/policy/<name>.yaml} from the classpath; an unknown name or a typo fails loudly. */
  public static PolicyProfile load(String name) {
    if (name == null || !name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("HCP_PROFILE must be a profile name such as guangdong or guangxi, was '" + name + "'");
    }
    String path = "mappings/policy/" + name + ".yaml";
    try (InputStream in = PolicyProfile.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("unknown profile '" + name + "': no " + path + " (known: guangdong, guangxi)");
      }
      PolicyProfile p = YAML.readValue(in, PolicyProfile.class);
      if (!name.equals(p.profile())) {
        throw new IllegalArgumentException(path + " declares profile '" + p.profile() + "'");
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
