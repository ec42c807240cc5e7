package org.haochaping.gateway.province;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One province's code tables, read from {@code mappings/codes/<province>/*.csv} on the classpath:
 * channel -> {@code pf}, level <-> {@code satisfaction} code (whose direction differs per
 * province), {@code evalDetail} tags with their polarity, {@code userProp} and {@code creditType}
 * codes, and the codes of a case record ({@code case-codes.csv}: proStatus, proChannel,
 * projectType, promiseType, taskType). Lines starting with {@code #} are comments. Immutable and
 * thread-safe.
 */
public final class ProvinceCodeTables {

  /** The two levels that make a rating bad (000 第七条, 002 第五条). */
  public static final Set<String> BAD_LEVELS = Set.of("DISSATISFIED", "VERY_DISSATISFIED");

  private final String province;
  private final Map<String, String> pfByChannel;
  private final Map<String, String> satisfactionByLevel;
  private final Map<String, String> levelBySatisfaction;
  private final Map<String, String> tagPolarity;
  private final List<Tag> tags;
  private final Map<String, String> userProps;
  private final Map<String, String> idTypes;
  private final Map<String, String> caseCodes;

  private ProvinceCodeTables(String province, ClassLoader loader) {
    this.province = province;
    this.pfByChannel = twoColumns(read(loader, "channels.csv", 2), 0, 1);
    List<String[]> satisfaction = read(loader, "satisfaction.csv", 2);
    this.satisfactionByLevel = twoColumns(satisfaction, 0, 1);
    this.levelBySatisfaction = twoColumns(satisfaction, 1, 0);
    List<String[]> tagRows = read(loader, "tags.csv", 2);
    this.tagPolarity = twoColumns(tagRows, 0, 1);
    this.tags = tagRows.stream().map(r -> new Tag(r[0], r[1], r.length > 2 ? r[2] : r[0], r.length > 3 ? r[3] : "")).toList();
    this.userProps = twoColumns(read(loader, "user-props.csv", 2), 0, 1);
    this.idTypes = twoColumns(read(loader, "id-types.csv", 2), 0, 1);
    Map<String, String> byField = new LinkedHashMap<>();
    for (String[] row : read(loader, "case-codes.csv", 3)) {
      byField.putIfAbsent(row[0] + "|" + row[1], row[2]);
    }
    this.caseCodes = Collections.unmodifiableMap(byField);
  }

  /** Loads {@code mappings/codes/<province>/} with this class's class loader. */
  public static ProvinceCodeTables load(String province) {
    return load(province, ProvinceCodeTables.class.getClassLoader());
  }

  public static ProvinceCodeTables load(String province, ClassLoader loader) {
    if (province == null || !province.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("province must be a lower-case name such as guangdong, was " + province);
    }
    return new ProvinceCodeTables(province, loader);
  }

  public String province() {
    return province;
  }

  /** The {@code pf} code for a canonical channel such as {@code EVALUATOR}. */
  public Optional<String> pfOf(String channel) {
    return Optional.ofNullable(pfByChannel.get(channel));
  }

  public boolean isPf(String code) {
    return pfByChannel.containsValue(code);
  }

  /** The wire code of a level such as {@code VERY_SATISFIED}. */
  public Optional<String> satisfactionOf(String level) {
    return Optional.ofNullable(satisfactionByLevel.get(level));
  }

  /** The level a wire code means in this province (guangdong 1 = VERY_DISSATISFIED, guangxi 1 = VERY_SATISFIED). */
  public Optional<String> levelOf(String satisfactionCode) {
    return Optional.ofNullable(levelBySatisfaction.get(satisfactionCode));
  }

  /** True when the wire code means 不满意 or 非常不满意 in this province. */
  public boolean isBadSatisfaction(String satisfactionCode) {
    return levelOf(satisfactionCode).map(BAD_LEVELS::contains).orElse(false);
  }

  /** The wire codes of 不满意 and 非常不满意, for messages. */
  public List<String> badSatisfactionCodes() {
    List<String> codes = new ArrayList<>();
    levelBySatisfaction.forEach((code, level) -> {
      if (BAD_LEVELS.contains(level)) {
        codes.add(code);
      }
    });
    Collections.sort(codes);
    return codes;
  }

  public boolean isTag(String code) {
    return tagPolarity.containsKey(code);
  }

  /** A tag that explains a bad rating ({@code BAD} in tags.csv). */
  public boolean isBadTag(String code) {
    return "BAD".equals(tagPolarity.get(code));
  }

  /** A rating tag as the H5 page shows it: code, polarity (GOOD or BAD), Chinese and English label. */
  public record Tag(String code, String polarity, String label, String labelEn) {
    public boolean bad() {
      return "BAD".equals(polarity);
    }
  }

  /** Every tag of this province, in the order of tags.csv. */
  public List<Tag> tags() {
    return tags;
  }

  /**
   * The canonical channels that share a {@code pf} code, in the order of channels.csv (guangdong
   * sends PORTAL and DEPT_SYSTEM both as 1): the inverse of {@link #pfOf}, which is not one-to-one.
   */
  public List<String> channelsOfPf(String pf) {
    List<String> out = new ArrayList<>();
    pfByChannel.forEach((channel, code) -> {
      if (code.equals(pf)) {
        out.add(channel);
      }
    });
    return out;
  }

  public boolean isUserProp(String code) {
    return userProps.containsKey(code);
  }

  public boolean isIdType(String code) {
    return idTypes.containsKey(code);
  }

  /**
   * The wire code of a case field for a canonical value, e.g. ({@code proChannel}, {@code ONLINE})
   * -> {@code 1}; ({@code taskType}, {@code DEFAULT}) is the code used when the case has none.
   */
  public Optional<String> caseCode(String field, String canonical) {
    return Optional.ofNullable(caseCodes.get(field + "|" + canonical));
  }

  private List<String[]> read(ClassLoader loader, String file, int minColumns) {
    String path = "mappings/codes/" + province + "/" + file;
    InputStream in = loader.getResourceAsStream(path);
    if (in == null) {
      throw new IllegalArgumentException("no code table " + path + " on the classpath (unknown province '" + province + "'?)");
    }
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        line = line.replace("\uFEFF", "").strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] columns = line.split(",", -1);
        if (columns.length < minColumns) {
          throw new IllegalArgumentException(path + " line " + number + ": expected at least " + minColumns + " columns");
        }
        for (int i = 0; i < columns.length; i++) {
          columns[i] = columns[i].strip();
        }
        rows.add(columns);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
    return rows;
  }

  private static Map<String, String> twoColumns(List<String[]> rows, int key, int value) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String[] row : rows) {
      map.putIfAbsent(row[key], row[value]);
    }
    return Collections.unmodifiableMap(map);
  }
}
