package org.haochaping.gateway.integrity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.model.Level;

/**
 * The thresholds of the integrity signals for a profile: {@code mappings/policy/<profile>.integrity.yaml}, beside
 * the profile itself (002 第十二条: 不得弄虚作假刷"好评"). The figures are the gateway's judgement and each is
 * explained in that file and in docs/integrity.md.
 */
public record IntegrityRules(
    String profile,
    List<Level> goodLevels,
    GoodVolume goodVolume,
    Speed speed,
    ManyApplicants manyApplicants,
    RateJump rateJump,
    OpeningHours openingHours) {

  /** (1) Good ratings from one device, one service window (hall + window number) or one evaluator. */
  public record GoodVolume(Duration window, int perDevice, int perServiceWindow, Duration evaluatorWindow, int perEvaluator) {}

  /** (2) Rated sooner than {@code minAfterCompletion} after the completion; {@code burstCount} ratings from one source within {@code burstWindow}. */
  public record Speed(Duration minAfterCompletion, Duration burstWindow, int burstCount) {}

  /** (3) One evaluator rating the cases of {@code applicants} different applicants within {@code window}. */
  public record ManyApplicants(Duration window, int applicants) {}

  /**
   * (4) The good-rating rate of the {@code recent} period against the {@code baseline} period before it, each
   * with a minimum number of ratings; a rise of {@code jumpPoints} percentage points or more is a signal.
   */
  public record RateJump(Duration recent, Duration baseline, int minRecent, int minBaseline, int jumpPoints) {}

  public enum Days { WORKING_DAYS, EVERY_DAY }

  /** One hall's hours. */
  public record Hours(LocalTime opens, LocalTime closes, Days days) {}

  /** (5) When halls are open: the default, and halls open at other times; {@code grace} either side. */
  public record OpeningHours(LocalTime opens, LocalTime closes, Days days, Duration grace, Map<String, Hours> halls) {
    public OpeningHours {
      halls = halls == null ? Map.of() : Map.copyOf(halls);
      grace = grace == null ? Duration.ZERO : grace;
    }

    public Hours of(String hallCode) {
      Hours h = hallCode == null ? null : halls.get(hallCode);
      return h != null ? h : new Hours(opens, closes, days);
    }
  }

  public IntegrityRules {
    goodLevels = goodLevels == null ? List.of(Level.VERY_SATISFIED, Level.SATISFIED) : List.copyOf(goodLevels);
  }

  public boolean isGood(Level level) {
    return goodLevels.contains(level);
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .registerModule(new JavaTimeModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** Loads {@code mappings/policy/<profile>.integrity.yaml}; a missing file or a typo fails loudly at start-up. */
  public static IntegrityRules load(String profile) {
    String path = "mappings/policy/" + profile + ".integrity.yaml";
    try (InputStream in = IntegrityRules.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("profile '" + profile + "' has no integrity thresholds: no " + path);
      }
      IntegrityRules r = YAML.readValue(in, IntegrityRules.class);
      if (!profile.equals(r.profile())) {
        throw new IllegalArgumentException(path + " declares profile '" + r.profile() + "'");
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
