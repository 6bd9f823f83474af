import type { App } from '../../core/app.ts';
import type { UserPoolRecord, UserRecord } from './records.ts';
import { invokeTrigger, isString, optionalMember, userAttributesOf } from './triggers.ts';

/** Placeholders Cognito puts in the custom message event; it fills them in after the function returns. */
const CODE_PARAMETER = '{####}';
const LINK_PARAMETER = '{##Click Here##}';
const USERNAME_PARAMETER = '{username}';

export type CustomMessageSource =
  | 'CustomMessage_SignUp'
  | 'CustomMessage_ResendCode'
  | 'CustomMessage_ForgotPassword'
  | 'CustomMessage_AdminCreateUser'
  | 'CustomMessage_UpdateUserAttribute'
  | 'CustomMessage_VerifyUserAttribute'
  | 'CustomMessage_Authentication';

export interface MessageText {
  subject: string;
  message: string;
}

export interface CustomMessageCall {
  triggerSource: CustomMessageSource;
  clientId: string;
  user: UserRecord;
  medium: 'EMAIL' | 'SMS';
  /** The message carries a verification link (`{##text##}`) instead of the code. */
  withLink?: boolean;
}

/** A message the function returned is used only when it keeps the placeholder the user needs: the code, the link or the temporary password. */
function keepsPlaceholder(call: CustomMessageCall, message: string): boolean {
  if (call.withLink) return /\{##(.+?)##\}/.test(message);
  return message.includes(CODE_PARAMETER);
}

/**
 * Run the custom message trigger for one message and return the subject and
 * body to send, placeholders not yet filled in. Without a trigger, or when
 * the function leaves a member empty, the pool's message is used.
 * NOTE: when the function returns a message without the code placeholder,
 * palisade sends the pool's message; the developer guide only states that
 * the message must contain it.
 */
export async function customizeMessage(app: App, pool: UserPoolRecord, call: CustomMessageCall, defaults: MessageText): Promise<MessageText> {
  const response = await invokeTrigger(app, pool, {
    trigger: 'CustomMessage',
    triggerSource: call.triggerSource,
    userName: call.user.Username,
    clientId: call.clientId,
    request: {
      userAttributes: userAttributesOf(call.user),
      codeParameter: CODE_PARAMETER,
      linkParameter: LINK_PARAMETER,
      usernameParameter: call.triggerSource === 'CustomMessage_AdminCreateUser' ? USERNAME_PARAMETER : null,
      // TODO: Cognito passes the operation's ClientMetadata here; palisade sends an empty map.
      clientMetadata: {},
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  if (!response) return defaults;
  const emailMessage = optionalMember<string>(response, 'emailMessage', isString);
  const emailSubject = optionalMember<string>(response, 'emailSubject', isString);
  const smsMessage = optionalMember<string>(response, 'smsMessage', isString);
  const message = call.medium === 'EMAIL' ? emailMessage : smsMessage;
  return {
    subject: call.medium === 'EMAIL' && emailSubject ? emailSubject : defaults.subject,
    message: message && keepsPlaceholder(call, message) ? message : defaults.message,
  };
}
