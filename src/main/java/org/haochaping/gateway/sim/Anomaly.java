package org.haochaping.gateway.sim;

/** Something in a submit_sm that a carrier would reject or a handset would show wrongly. */
public enum Anomaly {
  /** short_message longer than 140 octets (use UDH concatenation or message_payload). */
  TOO_LONG,
  /** UCS-2 user data with an odd number of octets: the last character is cut. */
  UCS2_ODD_LENGTH,
  /** data_coding 0 with octets outside the GSM 03.38 default alphabet (e.g. UTF-8 or GBK). */
  NON_GSM_CHARACTER,
  /** UDHI set but the header is truncated or an element overruns it. */
  UDH_MALFORMED,
  /** Concatenation with total 0, sequence 0, or sequence above total: a handset drops it. */
  PART_OUT_OF_RANGE,
  /** Parts sharing a reference disagree on the number of parts. */
  PART_COUNT_MISMATCH,
  /** The same sequence number arrived twice for one reference. */
  DUPLICATE_PART,
  /** A UTF-16 surrogate pair (emoji) split across two parts: the handset shows two '\uFFFD'. */
  SPLIT_SURROGATE
}
