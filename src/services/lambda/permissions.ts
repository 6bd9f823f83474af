import { AwsError, requireField } from '../../core/errors.ts';
import { uuid } from '../../core/ids.ts';
import type { Operation } from '../../core/service.ts';
import type { FunctionStore, PolicyStatement } from './function-record.ts';
import { checkRevision } from './control-plane.ts';
import { invalidValue } from './function-input.ts';

const ACTION = /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/;
const STATEMENT_ID = /^([a-zA-Z0-9-_.]+)$/;

/**
 * AddPermission, GetPolicy and RemovePermission: the function's
 * resource-based policy, in the JSON form GetPolicy returns.
 *
 * TODO: the policy is recorded but not yet enforced when another service
 * (API Gateway, Secrets Manager) invokes the function.
 */
export function permissionOperations(functions: FunctionStore): Record<string, Operation> {
  return {
    AddPermission(input) {
      const record = functions.resolve(input.FunctionName, input.Qualifier);
      checkRevision(record, input.RevisionId);
      const sid = requireField<string>(input, 'StatementId', 'ValidationException');
      const action = requireField<string>(input, 'Action', 'ValidationException');
      const principal = requireField<string>(input, 'Principal', 'ValidationException');
      if (!STATEMENT_ID.test(sid) || sid.length > 100) {
        throw new AwsError('ValidationException', `1 validation error detected: Value '${sid}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)`, 400);
      }
      if (!ACTION.test(action)) {
        throw new AwsError('ValidationException', `1 validation error detected: Value '${action}' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])`, 400);
      }
      if (input.EventSourceToken !== undefined || input.PrincipalOrgID !== undefined || input.FunctionUrlAuthType !== undefined) {
        throw invalidValue('palisade does not support EventSourceToken, PrincipalOrgID or FunctionUrlAuthType in AddPermission yet; the request was not carried out.');
      }
      if (record.Policy.some((statement) => statement.Sid === sid)) {
        throw new AwsError('ResourceConflictException', `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`, 409, { Type: 'User' });
      }
      const statement: PolicyStatement = {
        Sid: sid,
        Effect: 'Allow',
        Principal: principalOf(principal),
        Action: action,
        Resource: record.FunctionArn,
      };
      const condition: Record<string, Record<string, string>> = {};
      if (input.SourceAccount !== undefined) condition.StringEquals = { 'AWS:SourceAccount': String(input.SourceAccount) };
      if (input.SourceArn !== undefined) condition.ArnLike = { 'AWS:SourceArn': String(input.SourceArn) };
      if (Object.keys(condition).length) statement.Condition = condition;
      functions.put({ ...record, Policy: [...record.Policy, statement], RevisionId: uuid() });
      return { Statement: JSON.stringify(statement) };
    },

    GetPolicy(input) {
      const record = functions.resolve(input.FunctionName, input.Qualifier);
      if (!record.Policy.length) throw new AwsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404, { Type: 'User' });
      return {
        Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: record.Policy }),
        RevisionId: record.RevisionId,
      };
    },

    RemovePermission(input) {
      const record = functions.resolve(input.FunctionName, input.Qualifier);
      checkRevision(record, input.RevisionId);
      const remaining = record.Policy.filter((statement) => statement.Sid !== input.StatementId);
      if (remaining.length === record.Policy.length) {
        throw new AwsError('ResourceNotFoundException', `Statement ${input.StatementId} is not found in resource policy.`, 404, { Type: 'User' });
      }
      functions.put({ ...record, Policy: remaining, RevisionId: uuid() });
      return {};
    },
  };
}

/** Write a service principal (`apigateway.amazonaws.com`), an account id, an ARN or `*` as IAM writes it in a policy. */
function principalOf(principal: string): Record<string, string> | any {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}
