package org.haochaping.gateway.sms;

import java.time.OffsetDateTime;

/**
 * A reply (MO deliver_sm) as it waits in the broker queue {@code sms.inbound::replies}: accepted
 * from the SMSC only once the broker holds it. The sender's mobile is sealed; {@code mobileHash}
 * groups a mobile's replies so that one consumer handles them in order.
 */
public record InboundMessage(String moId, String mobileSealed, String mobileHash, String destAddr, int dataCoding, int esmClass,
    byte[] userData, OffsetDateTime receivedAt) {}
