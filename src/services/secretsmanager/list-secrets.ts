import { invalidParameter, validation } from './errors.ts';
import type { SecretRecord, SecretRepository } from './secret-record.ts';
import { versionsToStages } from './staging.ts';
import { page } from './pagination.ts';

interface Filter {
  Key: string;
  Values: string[];
}

export interface ListSecretsInput {
  IncludePlannedDeletion?: boolean;
  MaxResults?: number;
  NextToken?: string;
  Filters?: Filter[];
  SortOrder?: 'asc' | 'desc';
}

const FILTER_KEYS = new Set(['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all']);

/**
 * ListSecrets: secrets not scheduled for deletion (unless
 * IncludePlannedDeletion), filtered, in creation order, paged by an opaque
 * NextToken. Filters are ANDed, a filter's values ORed, and a value starting
 * with `!` negates (ListSecrets, Filters).
 */
export function listSecrets(secrets: SecretRepository, input: ListSecretsInput) {
  const maxResults = input.MaxResults ?? 100;
  const filters = checkFilters(input.Filters ?? []);
  let matching = secrets
    .all()
    .filter((secret) => input.IncludePlannedDeletion === true || secret.deletedDate === undefined)
    .filter((secret) => filters.every((filter) => matchesFilter(secret, filter)));
  if (input.SortOrder === 'desc') matching = matching.reverse();

  const { items, NextToken } = page(matching, maxResults, input.NextToken);
  return { SecretList: items.map(listEntry), NextToken };
}

function listEntry(secret: SecretRecord) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    RotationEnabled: false,
    LastChangedDate: new Date(secret.lastChangedDate),
    LastAccessedDate: secret.lastAccessedDate === undefined ? undefined : new Date(secret.lastAccessedDate),
    DeletedDate: secret.deletedDate === undefined ? undefined : new Date(secret.deletedDate),
    Tags: secret.tags,
    SecretVersionsToStages: versionsToStages(secret),
    CreatedDate: new Date(secret.createdDate),
  };
}

function checkFilters(filters: Filter[]): Filter[] {
  for (const filter of filters) {
    if (!FILTER_KEYS.has(filter?.Key)) {
      throw validation('filters.member.key', filter?.Key, `Member must satisfy enum value set: [${[...FILTER_KEYS].join(', ')}]`);
    }
    if (!Array.isArray(filter.Values) || filter.Values.length === 0) {
      throw invalidParameter(`The filter ${filter.Key} needs at least one value.`);
    }
  }
  return filters;
}

/** Prefix matching: case-sensitive for names and tags, not for descriptions and `all`. */
function matchesFilter(secret: SecretRecord, filter: Filter): boolean {
  const positive = filter.Values.filter((value) => !value.startsWith('!'));
  const negated = filter.Values.filter((value) => value.startsWith('!')).map((value) => value.slice(1));
  const fields = filterFields(secret, filter.Key);
  const caseless = filter.Key === 'description' || filter.Key === 'all';
  const matches = (value: string) => fields.some((field) => startsWith(field, value, caseless));
  if (negated.some(matches)) return false;
  return positive.length === 0 || positive.some(matches);
}

function filterFields(secret: SecretRecord, key: string): string[] {
  switch (key) {
    case 'name':
      return [secret.name];
    case 'description':
      return secret.description === undefined ? [] : [secret.description];
    case 'tag-key':
      return secret.tags.map((tag) => tag.Key);
    case 'tag-value':
      return secret.tags.map((tag) => tag.Value);
    case 'all':
      return [secret.name, secret.description ?? '', ...secret.tags.flatMap((tag) => [tag.Key, tag.Value])].flatMap((text) => text.split(/\s+/));
    default:
      // palisade secrets are never replicated nor owned by another service, so primary-region and owning-service match nothing.
      return [];
  }
}

function startsWith(field: string, prefix: string, caseless: boolean): boolean {
  return caseless ? field.toLowerCase().startsWith(prefix.toLowerCase()) : field.startsWith(prefix);
}
