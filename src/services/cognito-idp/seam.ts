import type { App } from '../../core/app.ts';
import { parseArn } from '../../core/arn.ts';
import type { CognitoSeam } from '../../core/seams.ts';
import { SERVICE, type UserPoolRecord } from './records.ts';
import { poolIdOfToken, verifyPoolToken } from './tokens.ts';

/**
 * The seam API Gateway's Cognito authorizer uses: the token must come from
 * one of the authorizer's pools (by issuer, then verified with that pool's
 * key), and any failure is a plain undefined so the caller returns 401.
 */
export function cognitoSeam(app: App): CognitoSeam {
  return {
    async verifyToken({ userPoolArns, token, tokenUse }) {
      const poolId = poolIdOfToken(app, token);
      if (!poolId) return undefined;
      const listed = userPoolArns.some((arn) => {
        const parsed = parseArn(arn);
        return (
          parsed?.service === 'cognito-idp' &&
          parsed.region === app.region &&
          parsed.accountId === app.accountId &&
          parsed.resource === `userpool/${poolId}`
        );
      });
      if (!listed) return undefined;
      const pool = app.store.get<UserPoolRecord>(SERVICE, 'user-pool', poolId);
      if (!pool) return undefined;
      const result = await verifyPoolToken(app, pool, token, tokenUse);
      return 'failure' in result ? undefined : result.claims;
    },
  };
}
