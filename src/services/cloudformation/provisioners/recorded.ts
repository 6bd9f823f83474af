import { randomBytes } from 'node:crypto';
import type { ProvisionContext, ResourceProvisioner } from './types.ts';

/** `vpc-0123456789abcdef0`: an EC2-style id with 17 hex digits. */
export function ec2Id(prefix: string): string {
  return `${prefix}-0${randomBytes(8).toString('hex').slice(0, 16)}`;
}

/**
 * A resource palisade records in the stack but does not build, because
 * nothing local carries it out (there is no network, no IAM enforcement).
 * Every documented property is accepted and kept in the stack record.
 */
export function recordedResource(
  properties: readonly string[],
  identify: (ctx: ProvisionContext, props: Record<string, any>) => { physicalId: string; attributes?: Record<string, unknown> },
): ResourceProvisioner {
  return {
    properties: [],
    recordedOnly: properties,
    async create(ctx, props) {
      return identify(ctx, props);
    },
    async update(_ctx, current) {
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
    async delete() {},
  };
}
