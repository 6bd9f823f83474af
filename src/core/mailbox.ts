import type { StateStore } from './store.ts';
import { uuid } from './ids.ts';

/**
 * The local mailbox: messages user pools would send by email or SMS
 * (confirmation codes and links, temporary passwords) land here instead.
 * Messages carry codes, so they are sealed at rest like other secrets.
 */
export interface MailMessage {
  messageId: string;
  sentAt: string;
  userPoolId: string;
  from: string;
  recipient: string;
  subject: string;
  body: string;
  /** The confirmation or verification code, when the message carries one. */
  code?: string;
  /** The confirmation link, for CONFIRM_WITH_LINK verification. */
  link?: string;
}

export class Mailbox {
  constructor(private readonly store: StateStore) {}

  send(message: Omit<MailMessage, 'messageId' | 'sentAt'>): MailMessage {
    const full: MailMessage = { messageId: uuid(), sentAt: new Date().toISOString(), ...message };
    this.store.put('palisade', 'mail', full.messageId, { sealed: this.store.seal(JSON.stringify(full)) });
    return full;
  }

  list(): MailMessage[] {
    return this.store
      .list<{ sealed: string }>('palisade', 'mail')
      .map((record) => JSON.parse(this.store.openString(record.sealed)) as MailMessage);
  }
}
