package org.haochaping.gateway.sms;

/**
 * One SMS waiting in the broker queue {@code sms.outbox}. The mobile is sealed (PersonalDataCipher):
 * the broker journal never holds it in clear.
 */
public record OutboxMessage(String smsId, SmsKind kind, String caseNo, String mobileSealed, String sourceAddr, String text,
    int reference) {}
