import type { App } from '../../core/app.ts';
import { customizeMessage, type CustomMessageSource, type MessageText } from './custom-message.ts';
import { attribute, type UserPoolRecord, type UserRecord } from './records.ts';
import { CLIENT_ID_NOT_APPLICABLE } from './triggers.ts';

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
 * confirmUser page, rewritten to palisade's loopback address. A custom
 * message trigger can replace the subject and message.
 */
export async function sendConfirmation(
  app: App,
  pool: UserPoolRecord,
  clientId: string,
  user: UserRecord,
  target: CodeDeliveryDetails,
  code: string,
  triggerSource: CustomMessageSource = 'CustomMessage_SignUp',
): Promise<void> {
  const template = pool.settings.VerificationMessageTemplate ?? {};
  const host = domainHost(app, pool);
  const custom = (defaults: MessageText, withLink = false) => customizeMessage(app, pool, { triggerSource, clientId, user, medium: target.DeliveryMedium, withLink }, defaults);
  if (target.DeliveryMedium === 'SMS') {
    const sms = await custom({ subject: '', message: template.SmsMessage ?? pool.settings.SmsVerificationMessage ?? 'Your verification code is {####}. ' });
    const text = sms.message.replace('{####}', code);
    app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient: target.Destination, subject: '', body: text, code });
    return;
  }
  // NOTE: Cognito needs a domain to send links; without one palisade sends the code message instead.
  if (template.DefaultEmailOption === 'CONFIRM_WITH_LINK' && host) {
    const query = new URLSearchParams({ client_id: clientId, user_name: user.Username, confirmation_code: code });
    const awsLink = `https://${host}/confirmUser?${query.toString()}`;
    const link = app.localUrl(awsLink) ?? awsLink;
    const { subject, message } = await custom(
      { subject: template.EmailSubjectByLink ?? 'Your verification link', message: template.EmailMessageByLink ?? 'Please click the link below to verify your email address. {##Verify Email##} ' },
      true,
    );
    const body = app.rewriteUrls(message.replace(/\{##(.+?)##\}/, (_match: string, text: string) => `<a href="${awsLink}">${text}</a>`));
    app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient: target.Destination, subject, body, code, link });
    return;
  }
  const { subject, message } = await custom({
    subject: template.EmailSubject ?? pool.settings.EmailVerificationSubject ?? 'Your verification code',
    message: template.EmailMessage ?? pool.settings.EmailVerificationMessage ?? 'Your verification code is {####}. ',
  });
  app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient: target.Destination, subject, body: message.replace('{####}', code), code });
}

/** Send the invitation AdminCreateUser sends: the sign-in name and the temporary password. */
export async function sendInvitation(
  app: App,
  pool: UserPoolRecord,
  user: UserRecord,
  signInName: string,
  recipient: string,
  medium: 'EMAIL' | 'SMS',
  temporaryPassword: string,
): Promise<void> {
  const template = pool.settings.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
  const fill = (text: string) => text.replace('{username}', () => signInName).replace('{####}', () => temporaryPassword);
  const custom = (defaults: MessageText) =>
    customizeMessage(app, pool, { triggerSource: 'CustomMessage_AdminCreateUser', clientId: CLIENT_ID_NOT_APPLICABLE, user, medium }, defaults);
  if (medium === 'SMS') {
    const sms = await custom({ subject: '', message: template.SMSMessage ?? 'Your username is {username} and temporary password is {####}.' });
    app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient, subject: '', body: fill(sms.message), code: temporaryPassword });
    return;
  }
  const email = await custom({
    subject: template.EmailSubject ?? 'Your temporary password',
    message: template.EmailMessage ?? 'Your username is {username} and temporary password is {####}.',
  });
  const body = fill(email.message);
  const subject = email.subject;
  app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient, subject, body, code: temporaryPassword });
}

/** Send a forgot-password code to the user's verified email or phone; a custom message trigger can replace the text. */
export async function sendPasswordResetCode(app: App, pool: UserPoolRecord, target: CodeDeliveryDetails, code: string, user: UserRecord, clientId: string): Promise<void> {
  const text = await customizeMessage(
    app,
    pool,
    { triggerSource: 'CustomMessage_ForgotPassword', clientId, user, medium: target.DeliveryMedium },
    { subject: target.DeliveryMedium === 'EMAIL' ? 'Your verification code' : '', message: 'Your password reset code is {####}. ' },
  );
  const body = text.message.replace('{####}', code);
  const subject = text.subject;
  app.mail.send({ userPoolId: pool.Id, from: DEFAULT_SENDER, recipient: target.Destination, subject, body, code });
}
