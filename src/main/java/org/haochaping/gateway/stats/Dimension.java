package org.haochaping.gateway.stats;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a figure is about (000 第二十二条; 002 第四条: 窗口工作人员、政务服务机构、业务条线、地区). Rating counters are
 * kept for the stored dimensions; a region is summed from the agency rows under its area code, a channel
 * from the agency rows of that channel.
 */
public enum Dimension {
  ITEM("item", "服务事项", true, false),
  AGENCY("agency", "政务服务机构", true, true),
  STAFF("staff", "窗口工作人员", true, false),
  BUSINESS_LINE("businessLine", "业务条线", true, true),
  HALL("hall", "政务服务大厅", true, true),
  REGION("region", "地区", false, true),
  CHANNEL("channel", "评价渠道", false, true);

  private final String path;
  private final String label;
  private final boolean stored;
  private final boolean caseCounts;

  Dimension(String path, String label, boolean stored, boolean caseCounts) {
    this.path = path;
    this.label = label;
    this.stored = stored;
    this.caseCounts = caseCounts;
  }

  /** The name in URLs and in the profile's {@code scoreBasis}: {@code item}, {@code businessLine}... */
  public String path() {
    return path;
  }

  public String label() {
    return label;
  }

  /** True when counters are kept under this dimension itself (not derived from the agency rows). */
  public boolean stored() {
    return stored;
  }

  /**
   * True when case counters (参评率, coverage) exist for it. Kept for agencies (and so regions and channels),
   * halls and business lines; a per-item or per-staff case counter would cost a row per case and day.
   */
  public boolean caseCounts() {
    return caseCounts;
  }

  /** The dimension whose stored rows this one reads. */
  public Dimension source() {
    return stored ? this : AGENCY;
  }

  public static Optional<Dimension> ofPath(String path) {
    return Arrays.stream(values()).filter(d -> d.path.equalsIgnoreCase(path) || d.name().equalsIgnoreCase(path)).findFirst();
  }
}
