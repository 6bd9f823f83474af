import type { ManagedRuleGroup } from './types.ts';

const QUERY_ARGUMENTS = { AllQueryArguments: {} };
const BODY = { Body: { OversizeHandling: 'CONTINUE' } };
const COOKIES = { Cookies: { MatchPattern: { All: {} }, MatchScope: 'ALL', OversizeHandling: 'CONTINUE' } };
const URI_PATH = { UriPath: {} };

// NOTE: AWS does not publish the text transformations of its managed rules;
// palisade decodes URL and HTML encodings once so encoded payloads are judged.
const DECODE = [
  { Priority: 0, Type: 'URL_DECODE_UNI' },
  { Priority: 1, Type: 'HTML_ENTITY_DECODE' },
];

function sqli(fieldToMatch: object, level: 'LOW' | 'HIGH') {
  return { SqliMatchStatement: { FieldToMatch: fieldToMatch, TextTransformations: DECODE, SensitivityLevel: level } };
}

/**
 * The "extended patterns" rules catch what the plain SQLi rule of the same
 * component does not: palisade expresses that as the HIGH-sensitivity
 * detector matching where the LOW one does not.
 */
function extendedPatterns(fieldToMatch: object) {
  return { AndStatement: { Statements: [sqli(fieldToMatch, 'HIGH'), { NotStatement: { Statement: sqli(fieldToMatch, 'LOW') } }] } };
}

/**
 * AWSManagedRulesSQLiRuleSet, "SQL database managed rule group" (AWS WAF
 * Developer Guide, AWS managed rule groups, use-case specific): WCU 200,
 * every rule Block, labels under `awswaf:managed:aws:sql-database:`.
 * Rules are listed, and evaluated, in the order the guide lists them.
 */
export const SQLI_RULE_SET: ManagedRuleGroup = {
  VendorName: 'AWS',
  Name: 'AWSManagedRulesSQLiRuleSet',
  Description: 'Contains rules that allow you to block request patterns associated with exploitation of SQL databases, like SQL injection attacks.',
  Capacity: 200,
  LabelNamespace: 'awswaf:managed:aws:sql-database:',
  Versions: ['Version_1.0'],
  Rules: [
    { Name: 'SQLiExtendedPatterns_QUERYARGUMENTS', Label: 'SQLiExtendedPatterns_QueryArguments', Statement: extendedPatterns(QUERY_ARGUMENTS) },
    { Name: 'SQLi_QUERYARGUMENTS', Label: 'SQLi_QueryArguments', Statement: sqli(QUERY_ARGUMENTS, 'LOW') },
    { Name: 'SQLi_BODY', Label: 'SQLi_Body', Statement: sqli(BODY, 'LOW') },
    { Name: 'SQLiExtendedPatterns_BODY', Label: 'SQLiExtendedPatterns_Body', Statement: extendedPatterns(BODY) },
    { Name: 'SQLi_COOKIE', Label: 'SQLi_Cookie', Statement: sqli(COOKIES, 'LOW') },
    { Name: 'SQLi_URIPATH', Label: 'SQLi_URIPath', Statement: sqli(URI_PATH, 'LOW') },
  ],
};
