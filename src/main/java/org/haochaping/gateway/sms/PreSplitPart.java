package org.haochaping.gateway.sms;

import org.apache.camel.component.smpp.SmppSplitter;

/**
 * Hands camel-smpp one part exactly as {@link SmsSegments} cut it (UDH included), instead of
 * letting camel-smpp split: its splitter cuts UCS-2 every 134 octets through surrogate pairs and
 * numbers references from one JVM-wide counter (docs/smsc-simulator.md). Passed per exchange in
 * the {@code CamelSmppSplitter} header.
 */
final class PreSplitPart extends SmppSplitter {

  private final byte[] shortMessage;

  PreSplitPart(byte[] shortMessage) {
    super(140, 134, shortMessage.length);
    this.shortMessage = shortMessage.clone();
  }

  @Override
  public byte[][] split(byte[] ignored) {
    return new byte[][] {shortMessage.clone()};
  }
}
