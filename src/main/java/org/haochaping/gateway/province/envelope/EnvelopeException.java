package org.haochaping.gateway.province.envelope;

/**
 * An envelope the receiving province refuses. A province answers it with HTTP 401 and code
 * {@code 1001}; {@link #code()} says which check failed.
 */
public final class EnvelopeException extends Exception {

  /** Why an envelope was refused, with the Chinese text a province shows and an English one. */
  public enum Reason {
    MALFORMED("报文格式错误", "malformed envelope"),
    UNKNOWN_APP("应用标识不存在", "unknown app key / app mark"),
    STALE_TIMESTAMP("请求时间超出允许范围", "timestamp outside the allowed window"),
    REPLAYED_NONCE("重复请求（nonce已使用）", "nonce already used"),
    BAD_SIGNATURE("签名验证失败", "signature verification failed"),
    DIGEST_MISMATCH("数据摘要不一致", "digest does not match the data"),
    BAD_DECRYPTION("数据解密失败", "data could not be decrypted");

    private final String chinese;
    private final String english;

    Reason(String chinese, String english) {
      this.chinese = chinese;
      this.english = english;
    }

    public String chinese() {
      return chinese;
    }

    public String english() {
      return english;
    }
  }

  private final Reason reason;
  private final String detail;

  public EnvelopeException(Reason reason, String detail) {
    this(reason, detail, null);
  }

  public EnvelopeException(Reason reason, String detail, Throwable cause) {
    super(reason.english() + (detail == null || detail.isEmpty() ? "" : ": " + detail), cause);
    this.reason = reason;
    this.detail = detail == null ? "" : detail;
  }

  public Reason reason() {
    return reason;
  }

  /** The machine-readable code, e.g. {@code BAD_SIGNATURE}. */
  public String code() {
    return reason.name();
  }

  /** What went wrong in detail (never contains payload data). */
  public String detail() {
    return detail;
  }

  /** Chinese first, then English: {@code 签名验证失败 (signature verification failed)}. */
  public String bilingualMessage() {
    return reason.chinese() + " (" + getMessage() + ")";
  }
}
