import type { RequestTraceRef } from './trace-ref.ts';

/**
 * Interfaces by which the data planes reach each other in-process. Each is
 * implemented by the service that owns the behaviour and registered on the
 * app; callers depend only on these types, never on another service's files.
 */

/** A request as AWS WAF inspects it. */
export interface WebRequest {
  method: string;
  /** URI path, percent-encoded as received. */
  uriPath: string;
  /** Query string without the leading `?`, as received. */
  queryString: string;
  /** Headers in the order received, names as sent. */
  headers: [string, string][];
  body: Buffer;
  clientIp: string;
}

export type WafAction = 'ALLOW' | 'BLOCK' | 'COUNT' | 'CAPTCHA' | 'CHALLENGE';

export interface WafVerdict {
  action: WafAction;
  webAclArn: string;
  /** Name of the rule that decided, or `Default_Action`, as in WAF logs' `terminatingRuleId`. */
  terminatingRuleId: string;
  labels: string[];
  /** A Block action's custom response (status, headers, body), when configured. */
  customResponse?: { statusCode: number; headers: [string, string][]; body?: string; contentType?: string };
  /** Headers that Allow/Count actions insert (`x-amzn-waf-` prefixed). */
  insertHeaders: [string, string][];
}

export interface WafSeam {
  /** Evaluate the web ACL associated with a resource (an API Gateway stage ARN), or undefined when none is. */
  evaluateForResource(resourceArn: string, request: WebRequest, trace: RequestTraceRef): WafVerdict | undefined;
  /** Evaluate one web ACL by ARN (CloudFront's WebACLId). */
  evaluateWebAcl(webAclArn: string, request: WebRequest, trace: RequestTraceRef): WafVerdict;
}

export interface TokenClaims {
  [claim: string]: unknown;
}

export interface CognitoSeam {
  /**
   * Verify a Cognito token for an authorizer: signature with the pool's key,
   * issuer, expiry, `token_use`, and revocation. Resolves to the claims, or
   * undefined when the token is not valid for any of the pools.
   */
  verifyToken(options: { userPoolArns: string[]; token: string; tokenUse: 'id' | 'access' }): Promise<TokenClaims | undefined>;
}

export interface InvokeResult {
  statusCode: number;
  payload: Buffer;
  /** `Unhandled` when the function threw, as the Invoke API's `X-Amz-Function-Error`. */
  functionError?: string;
  executedVersion: string;
}

export interface LambdaSeam {
  /** Invoke a function by name or ARN as the Invoke API does (RequestResponse unless `Event`). */
  invoke(functionName: string, payload: Buffer, options?: { invocationType?: 'RequestResponse' | 'Event'; traceId?: string }): Promise<InvokeResult>;
}

export interface LogsSeam {
  /** Append events to a log stream, creating the group and stream when missing. */
  append(logGroupName: string, logStreamName: string, events: { timestamp: number; message: string }[]): void;
}
