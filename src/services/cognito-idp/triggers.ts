import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import { log } from '../../core/log.ts';
import type { InvokeResult } from '../../core/seams.ts';
import { triggerArn, type TriggerName } from './lambda-config.ts';
import type { UserPoolRecord, UserRecord } from './records.ts';

/**
 * Cognito waits 5 seconds for a trigger function to respond ("Customizing
 * user pool workflows with Lambda triggers", Cognito developer guide).
 */
const TRIGGER_WAIT_MS = 5000;

/** The callerContext.clientId Cognito sends when an admin operation, which names no app client, runs a trigger. */
export const CLIENT_ID_NOT_APPLICABLE = 'CLIENT_ID_NOT_APPLICABLE';

export interface TriggerCall {
  trigger: TriggerName;
  triggerSource: string;
  userName: string;
  clientId: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

/** Build the `request.userAttributes` map of a trigger event from the user's attributes. */
export function userAttributesOf(user: UserRecord, withStatus = true): Record<string, string> {
  const attributes: Record<string, string> = Object.fromEntries(user.Attributes.map((entry) => [entry.Name, entry.Value]));
  if (withStatus) attributes['cognito:user_status'] = user.UserStatus;
  return attributes;
}

/** Turn the `[{Name, Value}]` list of an API's ValidationData into the map trigger events carry. */
export function attributeMap(list: unknown): Record<string, string> | undefined {
  if (!Array.isArray(list)) return undefined;
  return Object.fromEntries(list.map((entry: { Name?: unknown; Value?: unknown }) => [String(entry.Name), String(entry.Value ?? '')]));
}

function invalidOutput(): AwsError {
  return new AwsError('InvalidLambdaResponseException', 'Unrecognizable lambda output');
}

/** Invoke the function, giving up after Cognito's wait; an invocation that cannot start fails as UnexpectedLambdaException. */
async function invokeWithin(app: App, call: TriggerCall, arn: string, payload: Buffer): Promise<InvokeResult> {
  const unexpected = (reason: string) => new AwsError('UnexpectedLambdaException', `${call.trigger} invocation failed due to error ${reason}.`);
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(unexpected('Socket timeout while invoking Lambda function')), TRIGGER_WAIT_MS);
  });
  try {
    const lambda = app.seams.lambda;
    if (!lambda) throw unexpected('ResourceNotFoundException');
    // TODO: Cognito retries a trigger that does not respond in time (three attempts in all); palisade invokes it once.
    // TODO: AWS also requires a resource-based policy that lets cognito-idp.amazonaws.com invoke the function; palisade does not check it.
    return await Promise.race([
      lambda.invoke(arn, payload).catch((error: unknown) => {
        throw error instanceof AwsError ? unexpected(error.code) : error;
      }),
      waited,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Read the error message of a function error from the runtime's error document. */
function functionErrorMessage(payload: Buffer): string {
  try {
    const document = JSON.parse(payload.toString('utf8'));
    if (document && typeof document.errorMessage === 'string') return document.errorMessage;
    if (document && typeof document.errorType === 'string') return document.errorType;
  } catch {
    // An unparsable error document still fails the trigger; its text is the message.
  }
  return payload.toString('utf8');
}

/**
 * Run one trigger: send the event with the common fields every user pool
 * trigger carries, and return the `response` object the function sent back,
 * or undefined when the pool has no function for the trigger. A function
 * that throws fails the operation with UserLambdaValidationException
 * "<Trigger> failed with error <message>."; output that is not the event
 * shape fails with InvalidLambdaResponseException.
 */
export async function invokeTrigger(app: App, pool: UserPoolRecord, call: TriggerCall): Promise<Record<string, unknown> | undefined> {
  const arn = triggerArn(pool, call.trigger);
  if (!arn) return undefined;
  const event = {
    version: '1',
    triggerSource: call.triggerSource,
    region: app.region,
    userPoolId: pool.Id,
    userName: call.userName,
    // NOTE: Cognito reports the caller's SDK here; palisade does not pass the request's User-Agent to triggers.
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: call.clientId },
    request: call.request,
    response: call.response,
  };
  const result = await invokeWithin(app, call, arn, Buffer.from(JSON.stringify(event)));

  if (result.functionError) {
    const message = functionErrorMessage(result.payload);
    log('info', 'cognito-idp', 'trigger function failed', { userPoolId: pool.Id, trigger: call.trigger, functionArn: arn });
    throw new AwsError('UserLambdaValidationException', `${call.trigger} failed with error ${message}.`);
  }

  let output: unknown;
  try {
    output = JSON.parse(result.payload.toString('utf8'));
  } catch {
    throw new AwsError('InvalidLambdaResponseException', 'Invalid lambda function output : Invalid JSON');
  }
  // An async handler that returns nothing sends `null`, which Cognito reports as invalid JSON.
  if (output === null) throw new AwsError('InvalidLambdaResponseException', 'Invalid lambda function output : Invalid JSON');
  if (typeof output !== 'object' || Array.isArray(output)) throw invalidOutput();

  const response = (output as Record<string, unknown>).response;
  if (response === undefined || response === null) return {};
  if (typeof response !== 'object' || Array.isArray(response)) throw invalidOutput();
  return response as Record<string, unknown>;
}

/** Check that a response member is absent or of the expected JSON type. */
export function optionalMember<T>(response: Record<string, unknown>, member: string, check: (value: unknown) => boolean): T | undefined {
  const value = response[member];
  if (value === undefined || value === null) return undefined;
  if (!check(value)) throw invalidOutput();
  return value as T;
}

export const isBoolean = (value: unknown) => typeof value === 'boolean';
export const isString = (value: unknown) => typeof value === 'string';
export const isStringArray = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
export const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
