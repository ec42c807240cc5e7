package org.haochaping.gateway.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
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
    SmsRules sms) {

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

  public record DefaultRating(boolean enabled, Span after, DefaultFrom from, Level level) {}

  public record ContentReview(boolean enabled, Span within) {}

  public record WorkOrderRules(Span rectify, Span report, boolean explainInsteadOfRectify) {}

  public record AppealRules(Span file, Span verify, boolean systemCausedRevoked) {}

  public record SmsRules(int maxPerCase) {}

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
