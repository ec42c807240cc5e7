package org.haochaping.gateway.sms;

import org.haochaping.gateway.model.Level;

/** What a citizen's SMS reply says, as {@link SmsReplyParser} reads it. */
public sealed interface SmsReply {

  /** A rating: {@code 1}..{@code 5} or a level in words, possibly followed by a reason. */
  record Rate(Level level, String comment) implements SmsReply {}

  /** {@code TD} / {@code 退订}: send this number no more prompts or reminders. */
  record OptOut() implements SmsReply {}

  /** Anything else: the reason the gateway asked for, or a text it cannot read as a rating. */
  record Text(String text) implements SmsReply {
    public boolean isBlank() {
      return text.isBlank();
    }
  }
}
