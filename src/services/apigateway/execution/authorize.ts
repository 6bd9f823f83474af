import type { App } from '../../../core/app.ts';
import { recordHop } from '../../../core/trace-ref.ts';
import type { TokenClaims } from '../../../core/seams.ts';
import { log } from '../../../core/log.ts';
import type { Authorizer } from '../records.ts';
import { GatewayErrors, unsupported, type GatewayError } from './gateway-responses.ts';
import type { MethodRequest } from './method-request.ts';

export type AuthorizeResult = { claims?: TokenClaims } | { error: GatewayError };

/** `method.request.header.Authorization` → `authorization` (header names are read lower-case). */
function identityHeader(authorizer: Authorizer): string | undefined {
  const match = /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource ?? '');
  return match?.[1].toLowerCase();
}

/**
 * Run the method's authorization. A Cognito user pool authorizer takes the
 * token exactly as the identity source header carries it, so a `Bearer`
 * prefix is not stripped. It verifies an ID token when the method has no
 * OAuth scopes, and otherwise an access token holding one of the scopes
 * ("Integrate a REST API with an Amazon Cognito user pool"). A missing or
 * rejected token gets 401 `Unauthorized`.
 */
export async function authorize(app: App, request: MethodRequest): Promise<AuthorizeResult> {
  const method = request.match!.method;
  const type = method.authorizationType;
  if (type === 'NONE') return {};
  if (type !== 'COGNITO_USER_POOLS') {
    // TODO: AWS_IAM (SigV4 for execute-api) and Lambda TOKEN/REQUEST authorizers are not served; they fail closed.
    recordHop(request.trace, 'apigateway', '500', { step: 'authorizer', authorizationType: type, reason: 'unsupported authorization type' });
    return { error: unsupported(`authorization type ${type}`) };
  }
  const authorizer = method.authorizerId ? request.snapshot.authorizers[method.authorizerId] : undefined;
  const header = authorizer && identityHeader(authorizer);
  if (!authorizer || !header) {
    recordHop(request.trace, 'apigateway', '500', { step: 'authorizer', reason: 'authorizer missing from the deployment' });
    return { error: GatewayErrors.internalServerError };
  }
  const token = request.headers[header];
  const denied = (reason: string): AuthorizeResult => {
    recordHop(request.trace, 'apigateway', '401', { step: 'authorizer', authorizerId: authorizer.id, reason });
    return { error: GatewayErrors.unauthorized };
  };
  if (!token) return denied(`no ${header} header`);
  if (authorizer.identityValidationExpression && !new RegExp(`^(?:${authorizer.identityValidationExpression})$`).test(token)) {
    return denied('token does not match the identity validation expression');
  }

  const scopes = method.authorizationScopes ?? [];
  let claims: TokenClaims | undefined;
  try {
    claims = await app.seam('cognito').verifyToken({ userPoolArns: authorizer.providerARNs ?? [], token, tokenUse: scopes.length ? 'access' : 'id' });
  } catch (error) {
    log('error', 'apigateway', 'Cognito token verification failed', { traceId: request.trace.traceId, authorizerId: authorizer.id, error: String(error) });
    recordHop(request.trace, 'apigateway', '500', { step: 'authorizer', authorizerId: authorizer.id, reason: 'token verification failed' });
    return { error: GatewayErrors.internalServerError };
  }
  // TODO: an expired token gets 401 `{"message":"The incoming token has expired"}` on AWS; the seam does not say why a token failed.
  if (!claims) return denied('token rejected by the user pool');
  if (scopes.length) {
    const granted = String(claims.scope ?? '').split(' ');
    if (!scopes.some((scope) => granted.includes(scope))) return denied('access token has none of the method scopes');
  }
  recordHop(request.trace, 'apigateway', 'ALLOW', { step: 'authorizer', authorizerId: authorizer.id, sub: claims.sub });
  return { claims };
}
