import type { App } from '../../core/app.ts';
import { attribute, type UserPoolRecord, type UserRecord } from './records.ts';

/** Sender of the messages Cognito's default email configuration (COGNITO_DEFAULT) sends. */
export const DEFAULT_SENDER = 'no-reply@verificationemail.com';

export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: 'EMAIL' | 'SMS';
  AttributeName: string;
}

/** Cognito shows where it sent a code with most of the address masked: `a***@e***`. */
export function maskDestination(value: string, medium: 'EMAIL' | 'SMS'): string {
  if (medium === 'SMS') return `+*******${value.slice(-4)}`;
  const at = value.indexOf('@');
  if (at <= 0) return `${value.charAt(0)}***`;
  return `${value.charAt(0)}***@${value.charAt(at + 1)}***`;
}

/** Pick where a verification code goes: the first auto-verified attribute the user has. */
export function verificationTarget(pool: UserPoolRecord, user: UserRecord): CodeDeliveryDetails | undefined {
  const autoVerified: string[] = pool.settings.AutoVerifiedAttributes ?? [];
  for (const name of autoVerified) {
    const value = attribute(user, name);
    if (!value) continue;
    const medium = name === 'email' ? 'EMAIL' : 'SMS';
    return { Destination: value, DeliveryMedium: medium, AttributeName: name };
  }
  return undefined;
}

function domainHost(app: App, pool: UserPoolRecord): string | undefined {
  return pool.Domain ? `${pool.Domain}.auth.${app.region}.amazoncognito.com` : undefined;
}

/**
 * Send a sign-up confirmation code or link as Cognito would, using the
 * pool's VerificationMessageTemplate or its defaults. With CONFIRM_WITH_LINK
 * the `{##Verify Email##}` placeholder becomes a link to the hosted UI's
 * confirmUser page, rewritten to palisade's loopback address.
 */
export function sendConfirmation(app: App, pool: UserPoolRecord, clientId: string, user: UserRecord, target: CodeDeliveryDetails, code: string): void {
  const template = pool.settings.VerificationMessageTemplate ?? {};
  const host = domainHost(app, pool);
  if (target.DeliveryMedium === 'SMS') {
    const text = (template.SmsMessage ?? pool.settings.SmsVerificationMessage ?? 'Your verification code is {####}. ').replace('{####}', code);
    app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient: target.Destination, subject: '', body: text, code });
    return;
  }
  // NOTE: Cognito needs a domain to send links; without one palisade sends the code message instead.
  if (template.DefaultEmailOption === 'CONFIRM_WITH_LINK' && host) {
    const query = new URLSearchParams({ client_id: clientId, user_name: user.Username, confirmation_code: code });
    const awsLink = `https://${host}/confirmUser?${query.toString()}`;
    const link = app.localUrl(awsLink) ?? awsLink;
    const message = template.EmailMessageByLink ?? 'Please click the link below to verify your email address. {##Verify Email##} ';
    const body = app.rewriteUrls(message.replace(/\{##(.+?)##\}/, (_match: string, text: string) => `<a href="${awsLink}">${text}</a>`));
    const subject = template.EmailSubjectByLink ?? 'Your verification link';
    app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient: target.Destination, subject, body, code, link });
    return;
  }
  const message = template.EmailMessage ?? pool.settings.EmailVerificationMessage ?? 'Your verification code is {####}. ';
  const subject = template.EmailSubject ?? pool.settings.EmailVerificationSubject ?? 'Your verification code';
  app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient: target.Destination, subject, body: message.replace('{####}', code), code });
}

/** Send the invitation AdminCreateUser sends: the sign-in name and the temporary password. */
export function sendInvitation(app: App, pool: UserPoolRecord, signInName: string, recipient: string, medium: 'EMAIL' | 'SMS', temporaryPassword: string): void {
  const template = pool.settings.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
  const fill = (text: string) => text.replace('{username}', signInName).replace('{####}', temporaryPassword);
  if (medium === 'SMS') {
    const body = fill(template.SMSMessage ?? 'Your username is {username} and temporary password is {####}.');
    app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient, subject: '', body, code: temporaryPassword });
    return;
  }
  const body = fill(template.EmailMessage ?? 'Your username is {username} and temporary password is {####}.');
  const subject = template.EmailSubject ?? 'Your temporary password';
  app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient, subject, body, code: temporaryPassword });
}

/** Send a forgot-password code to the user's verified email or phone. */
export function sendPasswordResetCode(app: App, pool: UserPoolRecord, target: CodeDeliveryDetails, code: string): void {
  const body = `Your password reset code is ${code}. `;
  const subject = target.DeliveryMedium === 'EMAIL' ? 'Your verification code' : '';
  app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient: target.Destination, subject, body, code });
}
