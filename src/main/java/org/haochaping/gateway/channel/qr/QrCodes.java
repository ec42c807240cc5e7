package org.haochaping.gateway.channel.qr;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * QR codes as PNG images (ZXing). Error correction M (15 %): a code printed on a window survives
 * some wear and a phone reads it from a screen; a quiet zone of 4 modules as the standard asks.
 */
public final class QrCodes {

  /** Pixels per side: large enough to print at 5 cm and to show on a terminal. */
  public static final int DEFAULT_SIZE = 360;
  public static final int MIN_SIZE = 120;
  public static final int MAX_SIZE = 1200;

  private QrCodes() {}

  public static byte[] png(String text, int size) {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be " + MIN_SIZE + ".." + MAX_SIZE + ", was " + size);
    }
    try {
      BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, size, size, Map.of(
          EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
          EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name(),
          EncodeHintType.MARGIN, 4));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      MatrixToImageWriter.writeToStream(matrix, "PNG", out);
      return out.toByteArray();
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot encode a QR code for " + text.length() + " characters", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
