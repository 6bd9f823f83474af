import type { App } from '../../core/app.ts';
import { AwsError, notImplemented, requireField } from '../../core/errors.ts';
import { randomString } from '../../core/ids.ts';
import type { Operation } from '../../core/service.ts';
import { generateSigningKey } from './keys.ts';
import { describeLambdaConfig, normalizeLambdaConfig } from './lambda-config.ts';
import { checkMfaSettings } from './mfa.ts';
import { passwordPolicy } from './passwords.ts';
import { SERVICE, poolArn, requirePool, usersOfPool, type DomainRecord, type UserPoolClientRecord, type UserPoolRecord } from './records.ts';
import { describeSchema, parseSchema } from './schema.ts';
import { deleteUser } from './users.ts';
import { deleteGroupsOfPool } from './groups.ts';
import { deleteResourceServersOfPool } from './resource-servers.ts';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Members of CreateUserPool that palisade does not act on; a request setting them is rejected rather than ignored. */
const UNSUPPORTED_POOL_MEMBERS = ['SmsConfiguration', 'UserPoolAddOns', 'DeviceConfiguration'];

function checkPoolSettings(input: Record<string, any>): void {
  for (const member of UNSUPPORTED_POOL_MEMBERS) {
    const value = input[member];
    if (value !== undefined && !(typeof value === 'object' && Object.keys(value).length === 0)) {
      throw new AwsError('InvalidParameterException', `palisade does not support the user pool setting ${member} yet; remove it or leave it empty.`);
    }
  }
  if (input.UsernameAttributes && input.AliasAttributes) {
    throw new AwsError('InvalidParameterException', 'Only one of AliasAttributes or UsernameAttributes can be specified.');
  }
  for (const name of input.UsernameAttributes ?? []) {
    if (name !== 'email' && name !== 'phone_number') throw new AwsError('InvalidParameterException', `Invalid UsernameAttributes value: ${name}.`);
  }
  for (const name of input.AutoVerifiedAttributes ?? []) {
    if (name !== 'email' && name !== 'phone_number') throw new AwsError('InvalidParameterException', `Invalid AutoVerifiedAttributes value: ${name}.`);
  }
  const option = input.VerificationMessageTemplate?.DefaultEmailOption;
  if (option !== undefined && option !== 'CONFIRM_WITH_LINK' && option !== 'CONFIRM_WITH_CODE') {
    throw new AwsError('InvalidParameterException', `Invalid DefaultEmailOption value: ${option}.`);
  }
  checkMfaSettings(input);
}

/** The user pool as DescribeUserPool returns it, defaults filled in. */
export function describePool(app: App, pool: UserPoolRecord): Record<string, unknown> {
  const settings = pool.settings;
  const policy = passwordPolicy(pool);
  const template = settings.VerificationMessageTemplate ?? {};
  return {
    Id: pool.Id,
    Name: pool.Name,
    Policies: {
      PasswordPolicy: {
        MinimumLength: policy.MinimumLength,
        RequireUppercase: policy.RequireUppercase,
        RequireLowercase: policy.RequireLowercase,
        RequireNumbers: policy.RequireNumbers,
        RequireSymbols: policy.RequireSymbols,
        TemporaryPasswordValidityDays: policy.TemporaryPasswordValidityDays,
      },
      SignInPolicy: settings.Policies?.SignInPolicy ?? { AllowedFirstAuthFactors: ['PASSWORD'] },
    },
    DeletionProtection: settings.DeletionProtection ?? 'INACTIVE',
    LambdaConfig: describeLambdaConfig(pool),
    LastModifiedDate: new Date(pool.LastModifiedDate),
    CreationDate: new Date(pool.CreationDate),
    SchemaAttributes: describeSchema(pool),
    AutoVerifiedAttributes: settings.AutoVerifiedAttributes,
    AliasAttributes: settings.AliasAttributes,
    UsernameAttributes: settings.UsernameAttributes,
    EmailVerificationMessage: settings.EmailVerificationMessage,
    EmailVerificationSubject: settings.EmailVerificationSubject,
    VerificationMessageTemplate: { ...template, DefaultEmailOption: template.DefaultEmailOption ?? 'CONFIRM_WITH_CODE' },
    UserAttributeUpdateSettings: settings.UserAttributeUpdateSettings ?? { AttributesRequireVerificationBeforeUpdate: [] },
    MfaConfiguration: settings.MfaConfiguration ?? 'OFF',
    EstimatedNumberOfUsers: usersOfPool(app, pool.Id).length,
    EmailConfiguration: settings.EmailConfiguration ?? { EmailSendingAccount: 'COGNITO_DEFAULT' },
    UserPoolTags: settings.UserPoolTags ?? {},
    Domain: pool.Domain,
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false,
      UnusedAccountValidityDays: policy.TemporaryPasswordValidityDays,
      ...(settings.AdminCreateUserConfig?.InviteMessageTemplate ? { InviteMessageTemplate: settings.AdminCreateUserConfig.InviteMessageTemplate } : {}),
    },
    UsernameConfiguration: settings.UsernameConfiguration,
    Arn: pool.Arn,
    AccountRecoverySetting: settings.AccountRecoverySetting,
    UserPoolTier: settings.UserPoolTier ?? 'ESSENTIALS',
  };
}

/** Page through a list with an opaque token holding the next offset. */
export function paginate<T>(items: T[], token: unknown, max: number): { page: T[]; next?: string } {
  let start = 0;
  if (token !== undefined) {
    start = Number.parseInt(Buffer.from(String(token), 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw new AwsError('InvalidParameterException', 'The pagination token is invalid.');
  }
  const page = items.slice(start, start + max);
  const end = start + page.length;
  return { page, next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

export function checkMaxResults(value: unknown, member: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 60) {
    throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value between 1 and 60`);
  }
  return value;
}

export function poolOperations(app: App): Record<string, Operation> {
  return {
    async CreateUserPool(input: Record<string, any>) {
      const name = requireField<string>(input, 'PoolName');
      checkPoolSettings(input);
      const { requiredAttributes, customAttributes } = parseSchema(input.Schema);
      const id = `${app.region}_${randomString(9, ALPHANUMERIC)}`;
      const now = Date.now();
      const { PoolName: _name, ...settings } = { ...input, LambdaConfig: normalizeLambdaConfig(input.LambdaConfig) } as Record<string, any>;
      const pool: UserPoolRecord = {
        Id: id,
        Name: name,
        Arn: poolArn(app, id),
        CreationDate: now,
        LastModifiedDate: now,
        settings,
        customAttributes,
        requiredAttributes,
        keys: { id: await generateSigningKey(app), access: await generateSigningKey(app) },
      };
      app.store.put(SERVICE, 'user-pool', id, pool);
      return { UserPool: describePool(app, pool) };
    },

    DescribeUserPool(input: Record<string, any>) {
      return { UserPool: describePool(app, requirePool(app, input.UserPoolId)) };
    },

    /**
     * UpdateUserPool resets every mutable setting left out of the request to
     * its default. The sign-in attributes, schema and username configuration
     * cannot change after creation, so they are kept.
     */
    UpdateUserPool(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      checkPoolSettings({
        ...input,
        UsernameAttributes: pool.settings.UsernameAttributes,
        AliasAttributes: pool.settings.AliasAttributes,
        SoftwareTokenMfaConfiguration: pool.settings.SoftwareTokenMfaConfiguration,
      });
      const { UserPoolId: _id, PoolName: _name, ...mutable } = { ...input, LambdaConfig: normalizeLambdaConfig(input.LambdaConfig) } as Record<string, any>;
      const kept = {
        UsernameAttributes: pool.settings.UsernameAttributes,
        AliasAttributes: pool.settings.AliasAttributes,
        Schema: pool.settings.Schema,
        UsernameConfiguration: pool.settings.UsernameConfiguration,
        // Set by SetUserPoolMfaConfig, which UpdateUserPool does not take.
        SoftwareTokenMfaConfiguration: pool.settings.SoftwareTokenMfaConfiguration,
      };
      app.store.put(SERVICE, 'user-pool', pool.Id, { ...pool, settings: { ...mutable, ...kept }, LastModifiedDate: Date.now() });
      return {};
    },

    ListUserPools(input: Record<string, any>) {
      const max = checkMaxResults(input.MaxResults, 'maxResults');
      const pools = app.store.list<UserPoolRecord>(SERVICE, 'user-pool');
      const { page, next } = paginate(pools, input.NextToken, max);
      return {
        UserPools: page.map((pool) => ({
          Id: pool.Id,
          Name: pool.Name,
          LambdaConfig: describeLambdaConfig(pool),
          LastModifiedDate: new Date(pool.LastModifiedDate),
          CreationDate: new Date(pool.CreationDate),
        })),
        NextToken: next,
      };
    },

    DeleteUserPool(input: Record<string, any>) {
      const pool = requirePool(app, input.UserPoolId);
      if (pool.settings.DeletionProtection === 'ACTIVE') {
        throw new AwsError('InvalidParameterException', 'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.');
      }
      if (pool.Domain) throw new AwsError('InvalidParameterException', 'User pool cannot be deleted. It has a domain configured that should be deleted first.');
      app.store.transaction(() => {
        for (const client of app.store.list<UserPoolClientRecord>(SERVICE, 'user-pool-client')) {
          if (client.UserPoolId === pool.Id) app.store.delete(SERVICE, 'user-pool-client', client.ClientId);
        }
        for (const user of usersOfPool(app, pool.Id)) deleteUser(app, user);
        deleteGroupsOfPool(app, pool.Id);
        deleteResourceServersOfPool(app, pool.Id);
        app.store.delete(SERVICE, 'user-pool', pool.Id);
      });
      return {};
    },

    CreateUserPoolDomain(input: Record<string, any>) {
      const domain = requireField<string>(input, 'Domain');
      const pool = requirePool(app, input.UserPoolId);
      if (input.CustomDomainConfig) throw notImplemented('cognito-idp', 'CreateUserPoolDomain with CustomDomainConfig');
      if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domain)) {
        throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${domain}' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$`);
      }
      for (const reserved of ['aws', 'amazon', 'cognito']) {
        if (domain.includes(reserved)) throw new AwsError('InvalidParameterException', `Domain cannot contain reserved word: ${reserved}`);
      }
      if (app.store.get(SERVICE, 'user-pool-domain', domain)) throw new AwsError('InvalidParameterException', 'Domain already exists.');
      if (pool.Domain) throw new AwsError('InvalidParameterException', `User pool ${pool.Id} already has a domain configured.`);
      const version = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
      const record: DomainRecord = { Domain: domain, UserPoolId: pool.Id, Version: version, ManagedLoginVersion: input.ManagedLoginVersion ?? 1 };
      app.store.transaction(() => {
        app.store.put(SERVICE, 'user-pool-domain', domain, record);
        app.store.put(SERVICE, 'user-pool', pool.Id, { ...pool, Domain: domain, LastModifiedDate: Date.now() });
      });
      return { ManagedLoginVersion: record.ManagedLoginVersion };
    },

    DescribeUserPoolDomain(input: Record<string, any>) {
      const domain = requireField<string>(input, 'Domain');
      const record = app.store.get<DomainRecord>(SERVICE, 'user-pool-domain', domain);
      // Cognito returns an empty description for an unknown domain, not an error.
      if (!record) return { DomainDescription: {} };
      // TODO: AWS also returns the S3Bucket and CloudFrontDistribution serving the hosted UI; palisade has neither.
      return {
        DomainDescription: {
          UserPoolId: record.UserPoolId,
          AWSAccountId: app.accountId,
          Domain: record.Domain,
          Version: record.Version,
          Status: 'ACTIVE',
          ManagedLoginVersion: record.ManagedLoginVersion,
        },
      };
    },

    DeleteUserPoolDomain(input: Record<string, any>) {
      const domain = requireField<string>(input, 'Domain');
      const pool = requirePool(app, input.UserPoolId);
      const record = app.store.get<DomainRecord>(SERVICE, 'user-pool-domain', domain);
      if (!record || record.UserPoolId !== pool.Id) throw new AwsError('InvalidParameterException', 'No such domain or user pool exists.');
      app.store.transaction(() => {
        app.store.delete(SERVICE, 'user-pool-domain', domain);
        const { Domain: _domain, ...rest } = pool;
        app.store.put(SERVICE, 'user-pool', pool.Id, { ...rest, LastModifiedDate: Date.now() });
      });
      return {};
    },
  };
}

/** Find the domain record a hosted UI host names. */
export function findDomain(app: App, domain: string): DomainRecord | undefined {
  return app.store.get<DomainRecord>(SERVICE, 'user-pool-domain', domain);
}
