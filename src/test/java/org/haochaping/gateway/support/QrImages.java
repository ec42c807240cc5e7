package org.haochaping.gateway.support;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Reads a QR code image as a phone's camera app would: the text it holds. */
public final class QrImages {

  private QrImages() {}

  public static String decode(byte[] png) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      if (image == null) {
        throw new AssertionError("not an image (" + png.length + " bytes)");
      }
      return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).getText();
    } catch (IOException | NotFoundException | com.google.zxing.ChecksumException | com.google.zxing.FormatException e) {
      throw new AssertionError("no readable QR code in the image: " + e, e);
    }
  }
}
