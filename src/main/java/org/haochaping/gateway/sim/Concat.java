package org.haochaping.gateway.sim;

/**
 * Concatenation information of one part: from a UDH element (IEI 0x00 with an 8-bit reference,
 * IEI 0x08 with a 16-bit reference) or from the SAR optional parameters.
 */
public record Concat(Scheme scheme, int reference, int total, int seq) {

  /** Where the concatenation information came from. */
  public enum Scheme {
    UDH_8BIT,
    UDH_16BIT,
    SAR
  }

  boolean inRange() {
    return total >= 1 && seq >= 1 && seq <= total;
  }
}
