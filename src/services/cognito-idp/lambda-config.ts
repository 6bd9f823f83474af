import { AwsError } from '../../core/errors.ts';
import type { UserPoolRecord } from './records.ts';

/** The classic triggers palisade invokes ("Customizing user pool workflows with Lambda triggers"). */
export type TriggerName = 'PreSignUp' | 'PostConfirmation' | 'PreAuthentication' | 'PostAuthentication' | 'PreTokenGeneration' | 'CustomMessage';

const SUPPORTED_TRIGGERS: TriggerName[] = ['PreSignUp', 'PostConfirmation', 'PreAuthentication', 'PostAuthentication', 'PreTokenGeneration', 'CustomMessage'];

/**
 * LambdaConfig members palisade does not act on. A pool that sets one is
 * rejected at CreateUserPool/UpdateUserPool, so that no flow runs without a
 * trigger the pool owner expects to run.
 */
const UNSUPPORTED_MEMBERS = ['DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse', 'UserMigration', 'CustomSMSSender', 'CustomEmailSender', 'KMSKeyID'];

/** ArnType's pattern in the Cognito API model. */
const ARN_PATTERN = /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/;
const ARN_PATTERN_TEXT = 'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?';

function checkArn(value: unknown, member: string): string {
  const text = String(value);
  if (typeof value !== 'string' || text.length < 20 || text.length > 2048 || !ARN_PATTERN.test(text)) {
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${text}' at 'lambdaConfig.${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN_PATTERN_TEXT}`,
    );
  }
  return text;
}

/**
 * Validate a LambdaConfig and return it as palisade stores it: the legacy
 * PreTokenGeneration member and PreTokenGenerationConfig name the same
 * function, so each is filled in from the other.
 */
export function normalizeLambdaConfig(config: unknown): Record<string, unknown> | undefined {
  if (config === undefined || config === null) return undefined;
  if (typeof config !== 'object' || Array.isArray(config)) throw new AwsError('InvalidParameterException', 'LambdaConfig must be an object.');
  const requested = config as Record<string, any>;
  const result: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(requested)) {
    if (value === undefined || value === null) continue;
    if (UNSUPPORTED_MEMBERS.includes(member)) {
      throw new AwsError('InvalidParameterException', `palisade does not support the Lambda trigger setting LambdaConfig.${member} yet; supported triggers: ${SUPPORTED_TRIGGERS.join(', ')}.`);
    }
    if (member === 'PreTokenGenerationConfig') continue;
    if (!SUPPORTED_TRIGGERS.includes(member as TriggerName)) throw new AwsError('InvalidParameterException', `Unknown LambdaConfig member ${member}.`);
    result[member] = checkArn(value, member.charAt(0).toLowerCase() + member.slice(1));
  }
  const versioned = requested.PreTokenGenerationConfig;
  if (versioned !== undefined && versioned !== null) {
    const version = versioned.LambdaVersion;
    if (version !== 'V1_0' && version !== 'V2_0' && version !== 'V3_0') {
      throw new AwsError(
        'InvalidParameterException',
        `1 validation error detected: Value '${String(version)}' at 'lambdaConfig.preTokenGenerationConfig.lambdaVersion' failed to satisfy constraint: Member must satisfy enum value set: [V1_0, V2_0, V3_0]`,
      );
    }
    if (version !== 'V1_0') {
      throw new AwsError('InvalidParameterException', `palisade does not support pre token generation trigger version ${version} yet (access token customization); use V1_0.`);
    }
    const arn = checkArn(versioned.LambdaArn, 'preTokenGenerationConfig.lambdaArn');
    if (result.PreTokenGeneration !== undefined && result.PreTokenGeneration !== arn) {
      throw new AwsError('InvalidParameterException', 'PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same function.');
    }
    result.PreTokenGeneration = arn;
  }
  if (typeof result.PreTokenGeneration === 'string') result.PreTokenGenerationConfig = { LambdaVersion: 'V1_0', LambdaArn: result.PreTokenGeneration };
  return result;
}

/** The LambdaConfig DescribeUserPool and ListUserPools return. */
export function describeLambdaConfig(pool: UserPoolRecord): Record<string, unknown> {
  return { ...(pool.settings.LambdaConfig ?? {}) };
}

/** The function ARN configured for a trigger, if any. */
export function triggerArn(pool: UserPoolRecord, trigger: TriggerName): string | undefined {
  const value = pool.settings.LambdaConfig?.[trigger];
  return typeof value === 'string' ? value : undefined;
}
