import { BODY, containsAny, DECODE_LOWER, header, HEADERS, QUERY_STRING, transformations, URI_PATH } from './statements.ts';
import type { ManagedRule, ManagedRuleGroup } from './types.ts';

/**
 * Java deserialization and expression-injection markers: runtime and
 * process calls, Spring4Shell's class loader path (CVE-2022-22965) and
 * Spring Cloud Function's routing expression (CVE-2022-22963), matched after
 * decoding and lower-casing.
 */
const JAVA_RCE = ['java.lang.runtime', 'getruntime().exec', 'java.lang.processbuilder', 'class.module.classloader', 'spring.cloud.function.routing-expression', 't(java.lang.'];

/** A serialized Java object stream is also matched by its magic bytes AC ED 00 05, in base64 (`rO0AB`) and hexadecimal. */
function javaRce(fieldToMatch: object): ManagedRule['Statement'] {
  return {
    OrStatement: {
      Statements: [
        containsAny(fieldToMatch, JAVA_RCE, DECODE_LOWER),
        containsAny(fieldToMatch, ['rO0AB'], transformations('URL_DECODE_UNI')),
        containsAny(fieldToMatch, ['aced0005'], transformations('URL_DECODE_UNI', 'LOWERCASE')),
      ],
    },
  };
}

/**
 * Log4Shell (CVE-2021-44228): a `${` lookup that resolves to `jndi:` once
 * the nested lookups attackers use to hide it (`${lower:j}`, `${::-j}`,
 * `${env:X:-j}`, `${date:'j'}`) are reduced to their text.
 */
export function containsLog4jLookup(value: string): boolean {
  if (!value.includes('${')) return false;
  const reduced = value
    .replace(/\$\{(?:lower:|upper:|::-|env:[^:}]*:-|sys:[^:}]*:-|date:)?/g, '')
    .replace(/['}]/g, '');
  return /jndi:(?:ldaps?|rmi|dns|nis|iiop|corba|nds|https?):/.test(reduced);
}

function log4j(fieldToMatch: object): ManagedRule['Component'] {
  return { FieldToMatch: fieldToMatch, TextTransformations: DECODE_LOWER, test: containsLog4jLookup };
}

/** Paths of application internals and version-control metadata (AWS gives web-inf as the example). */
const EXPLOITABLE_PATHS = ['/web-inf', '/meta-inf', '/.git/', '/.svn/', '/.hg/', '/.bzr/', '/cgi-bin/', '/.ds_store', '/wp-config.php', '/server-status', '/actuator/'];

/**
 * AWSManagedRulesKnownBadInputsRuleSet, "Known bad inputs managed rule
 * group" (AWS WAF Developer Guide, Baseline rule groups): WCU 200, every rule
 * Block, labels under `awswaf:managed:aws:known-bad-inputs:`. The detections
 * are palisade's own; docs/waf.md states each.
 */
export const KNOWN_BAD_INPUTS_RULE_SET: ManagedRuleGroup = {
  VendorName: 'AWS',
  Name: 'AWSManagedRulesKnownBadInputsRuleSet',
  Description: 'Contains rules that allow you to block request patterns that are known to be invalid and are associated with exploitation or discovery of vulnerabilities.',
  Capacity: 200,
  LabelNamespace: 'awswaf:managed:aws:known-bad-inputs:',
  Versions: ['Version_1.0'],
  Rules: [
    { Name: 'JavaDeserializationRCE_HEADER', Label: 'JavaDeserializationRCE_Header', Statement: javaRce(HEADERS) },
    { Name: 'JavaDeserializationRCE_BODY', Label: 'JavaDeserializationRCE_Body', Statement: javaRce(BODY) },
    { Name: 'JavaDeserializationRCE_URIPATH', Label: 'JavaDeserializationRCE_URIPath', Statement: javaRce(URI_PATH) },
    { Name: 'JavaDeserializationRCE_QUERYSTRING', Label: 'JavaDeserializationRCE_QueryString', Statement: javaRce(QUERY_STRING) },
    // Host is `localhost`, with or without a port: the pattern AWS documents for this rule.
    {
      Name: 'Host_localhost_HEADER',
      Label: 'Host_Localhost_Header',
      Component: { FieldToMatch: header('host'), TextTransformations: transformations('LOWERCASE'), test: (value) => /^\s*localhost\.?(?::\d*)?\s*$/.test(value) },
    },
    { Name: 'PROPFIND_METHOD', Label: 'Propfind_Method', Statement: containsAny({ Method: {} }, ['propfind'], transformations('LOWERCASE'), 'EXACTLY') },
    { Name: 'ExploitablePaths_URIPATH', Label: 'ExploitablePaths_URIPath', Statement: containsAny(URI_PATH, EXPLOITABLE_PATHS, [...DECODE_LOWER, { Priority: 4, Type: 'NORMALIZE_PATH_WIN' }]) },
    { Name: 'Log4JRCE_HEADER', Label: 'Log4JRCE_Header', Component: log4j(HEADERS) },
    { Name: 'Log4JRCE_QUERYSTRING', Label: 'Log4JRCE_QueryString', Component: log4j(QUERY_STRING) },
    { Name: 'Log4JRCE_BODY', Label: 'Log4JRCE_Body', Component: log4j(BODY) },
    { Name: 'Log4JRCE_URIPATH', Label: 'Log4JRCE_URIPath', Component: log4j(URI_PATH) },
  ],
};
