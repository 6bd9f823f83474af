import { validRegex } from '../engine/reference-statements.ts';
import type { EntityStore } from '../entity-store.ts';
import { invalidParameter, limitsExceeded, REASON } from '../errors.ts';
import { checkString, NON_BLANK, requireMember, type Input } from '../validate-members.ts';
import type { WebAclStore } from '../web-acl-store.ts';
import { entityOperations, type EntitySpec } from './entity-crud.ts';

/** AWS's quotas: 10 regular expressions per set, 512 characters each. */
const MAX_PATTERNS = 10;
const MAX_PATTERN_LENGTH = 512;

function validatePatterns(list: unknown): { RegexString: string }[] {
  if (!Array.isArray(list)) throw invalidParameter('REGEX_PATTERN_SET', 'RegularExpressionList', REASON.invalidFormat);
  if (list.length > MAX_PATTERNS) throw limitsExceeded();
  for (const entry of list as Input[]) {
    const pattern = requireMember(entry, 'RegexString', 'REGEX_PATTERN_SET');
    checkString(pattern, 'RegexString', 'REGEX_PATTERN_SET', NON_BLANK, MAX_PATTERN_LENGTH);
    if (!validRegex(pattern)) throw invalidParameter('REGEX_PATTERN_SET', pattern, REASON.invalidFormat);
  }
  return (list as Input[]).map((entry) => ({ RegexString: entry.RegexString }));
}

const REGEX_PATTERN_SET: EntitySpec = {
  kind: 'regexpatternset',
  noun: 'RegexPatternSet',
  listMember: 'RegexPatternSets',
  field: 'REGEX_PATTERN_SET',
  body(input: Input) {
    return { RegularExpressionList: validatePatterns(requireMember(input, 'RegularExpressionList', 'REGEX_PATTERN_SET')) };
  },
  output(record) {
    return { Name: record.Name, Id: record.Id, ARN: record.ARN, Description: record.Description, RegularExpressionList: record.Body.RegularExpressionList };
  },
};

export function regexPatternSetOperations(entities: EntityStore, webAcls: WebAclStore) {
  return entityOperations(REGEX_PATTERN_SET, entities, webAcls);
}
