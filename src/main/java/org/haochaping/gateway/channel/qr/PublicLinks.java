package org.haochaping.gateway.channel.qr;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The addresses citizens and terminals see: the H5 pages and the QR images, under the public base
 * URL ({@code hcp.public.baseUrl}, HCP_PUBLIC_BASE_URL; default {@code http://localhost:<port>}).
 * Behind a reverse proxy the base is the proxy's address, e.g. {@code https://hcp.lianjiang.gov.cn}.
 */
public final class PublicLinks {

  private final String base;

  public PublicLinks(String base) {
    String b = base.strip();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    if (!b.startsWith("http://") && !b.startsWith("https://")) {
      throw new IllegalArgumentException("hcp.public.baseUrl must start with http:// or https://, was '" + base + "'");
    }
    this.base = b;
  }

  public String base() {
    return base;
  }

  /** The H5 rating page of one link (dynamic QR, SMS). */
  public String ratingPage(String token) {
    return base + "/r/" + token;
  }

  /** The PNG of a dynamic QR code that opens {@link #ratingPage}. */
  public String ratingQr(String token) {
    return base + "/api/v1/qr/links/" + token + ".png";
  }

  /** The page a static QR code at a hall (windowNo null) or at one window opens (000 第十三条). */
  public String staticPage(String hallCode, String windowNo) {
    return base + "/q/" + enc(hallCode) + (windowNo == null ? "" : "/" + enc(windowNo));
  }

  /** The PNG of a static QR code for printing. */
  public String staticQr(String hallCode, String windowNo) {
    return base + "/api/v1/qr/halls/" + (windowNo == null ? enc(hallCode) + ".png" : enc(hallCode) + "/windows/" + enc(windowNo) + ".png");
  }

  static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
