import { BODY, containsAny, COOKIES, DECODE_LOWER, header, QUERY_ARGUMENTS, sizeOver, transformations, URI_PATH } from './statements.ts';
import type { ManagedRule, ManagedRuleGroup } from './types.ts';

/** User-Agent substrings of scanners and attack tools (AWS names nessus and nmap as examples). */
const BAD_BOTS = ['nessus', 'nmap', 'nikto', 'sqlmap', 'masscan', 'zgrab', 'dirbuster', 'gobuster', 'w3af', 'acunetix', 'netsparker', 'openvas', 'wpscan', 'nuclei', 'havij', 'zmeu'];

/** The EC2 instance metadata address in its dotted, decimal, hexadecimal and IPv6 spellings. */
const EC2_METADATA = ['169.254.169.254', '2852039166', '0xa9fea9fe', '0xa9.0xfe.0xa9.0xfe', 'fd00:ec2::254', 'instance-data/latest'];

/** Path traversal sequences, including the forms left after decoding partly encoded (`..%2f`) and overlong UTF-8 (`%c0%ae`) dots and slashes. */
const TRAVERSAL = ['../', '..\\', '..%2f', '..%5c', '%c0%ae%c0%ae/', '..;/'];

/** System file extensions that a web request should not read (AWS gives .log and .ini as examples). */
const RESTRICTED_EXTENSIONS = ['.log', '.ini', '.bak', '.backup', '.old', '.orig', '.swp', '.conf', '.cfg', '.config', '.env', '.sql', '.mdb', '.htaccess', '.htpasswd', '.passwd', '.pem', '.key'];

/** A URL whose host is a literal IPv4 address, with the schemes AWS lists for GenericRFI. */
const RFI_URL = /(?:https?|ftps?|file):\/\/(?:[^/@\s]*@)?\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.])/;

function rfi(fieldToMatch: object): ManagedRule['Component'] {
  return { FieldToMatch: fieldToMatch, TextTransformations: DECODE_LOWER, test: (value) => RFI_URL.test(value) };
}

/** Restricted extension at the end of the value, ignoring a trailing `;params` or `?` the path may carry. */
function restrictedExtension(fieldToMatch: object): ManagedRule['Component'] {
  return {
    FieldToMatch: fieldToMatch,
    TextTransformations: DECODE_LOWER,
    test: (value) => {
      const end = value.replace(/[;?#].*$/, '').replace(/[\s\0]+$/, '');
      return RESTRICTED_EXTENSIONS.some((extension) => end.endsWith(extension));
    },
  };
}

function xss(fieldToMatch: object) {
  return { XssMatchStatement: { FieldToMatch: fieldToMatch, TextTransformations: transformations('URL_DECODE_UNI', 'HTML_ENTITY_DECODE') } };
}

/**
 * AWSManagedRulesCommonRuleSet, "Core rule set (CRS) managed rule group"
 * (AWS WAF Developer Guide, Baseline rule groups): WCU 700, every rule
 * Block, labels under `awswaf:managed:aws:core-rule-set:`, rules in the
 * order the guide lists them. AWS publishes what each rule inspects, not
 * how; the detections here are palisade's own and docs/waf.md states each.
 */
export const COMMON_RULE_SET: ManagedRuleGroup = {
  VendorName: 'AWS',
  Name: 'AWSManagedRulesCommonRuleSet',
  Description: 'Contains rules that are generally applicable to web applications. This provides protection against exploitation of a wide range of vulnerabilities, including those described in OWASP publications.',
  Capacity: 700,
  LabelNamespace: 'awswaf:managed:aws:core-rule-set:',
  Versions: ['Version_1.0'],
  Rules: [
    // A missing or empty User-Agent: a size constraint on an absent header matches nothing, so NOT(size > 0) covers both.
    { Name: 'NoUserAgent_HEADER', Label: 'NoUserAgent_Header', Statement: { NotStatement: { Statement: sizeOver(header('user-agent'), 0) } } },
    { Name: 'UserAgent_BadBots_HEADER', Label: 'BadBots_Header', Statement: containsAny(header('user-agent'), BAD_BOTS, transformations('LOWERCASE')) },
    { Name: 'SizeRestrictions_QUERYSTRING', Label: 'SizeRestrictions_QueryString', Statement: sizeOver({ QueryString: {} }, 2048) },
    { Name: 'SizeRestrictions_Cookie_HEADER', Label: 'SizeRestrictions_Cookie_Header', Statement: sizeOver(header('cookie'), 10240) },
    // A body past the inspection limit is larger than 8 KB by definition, so oversize matches.
    { Name: 'SizeRestrictions_BODY', Label: 'SizeRestrictions_Body', Statement: sizeOver({ Body: { OversizeHandling: 'MATCH' } }, 8192) },
    { Name: 'SizeRestrictions_URIPATH', Label: 'SizeRestrictions_URIPath', Statement: sizeOver(URI_PATH, 1024) },
    { Name: 'EC2MetaDataSSRF_BODY', Label: 'EC2MetaDataSSRF_Body', Statement: containsAny(BODY, EC2_METADATA, DECODE_LOWER) },
    { Name: 'EC2MetaDataSSRF_COOKIE', Label: 'EC2MetaDataSSRF_Cookie', Statement: containsAny(COOKIES, EC2_METADATA, DECODE_LOWER) },
    { Name: 'EC2MetaDataSSRF_URIPATH', Label: 'EC2MetaDataSSRF_URIPath', Statement: containsAny(URI_PATH, EC2_METADATA, DECODE_LOWER) },
    { Name: 'EC2MetaDataSSRF_QUERYARGUMENTS', Label: 'EC2MetaDataSSRF_QueryArguments', Statement: containsAny(QUERY_ARGUMENTS, EC2_METADATA, DECODE_LOWER) },
    { Name: 'GenericLFI_QUERYARGUMENTS', Label: 'GenericLFI_QueryArguments', Statement: containsAny(QUERY_ARGUMENTS, TRAVERSAL, DECODE_LOWER) },
    { Name: 'GenericLFI_URIPATH', Label: 'GenericLFI_URIPath', Statement: containsAny(URI_PATH, TRAVERSAL, DECODE_LOWER) },
    { Name: 'GenericLFI_BODY', Label: 'GenericLFI_Body', Statement: containsAny(BODY, TRAVERSAL, DECODE_LOWER) },
    { Name: 'RestrictedExtensions_URIPATH', Label: 'RestrictedExtensions_URIPath', Component: restrictedExtension(URI_PATH) },
    { Name: 'RestrictedExtensions_QUERYARGUMENTS', Label: 'RestrictedExtensions_QueryArguments', Component: restrictedExtension(QUERY_ARGUMENTS) },
    { Name: 'GenericRFI_QUERYARGUMENTS', Label: 'GenericRFI_QueryArguments', Component: rfi(QUERY_ARGUMENTS) },
    { Name: 'GenericRFI_BODY', Label: 'GenericRFI_Body', Component: rfi(BODY) },
    { Name: 'GenericRFI_URIPATH', Label: 'GenericRFI_URIPath', Component: rfi(URI_PATH) },
    { Name: 'CrossSiteScripting_COOKIE', Label: 'CrossSiteScripting_Cookie', Statement: xss(COOKIES) },
    { Name: 'CrossSiteScripting_QUERYARGUMENTS', Label: 'CrossSiteScripting_QueryArguments', Statement: xss(QUERY_ARGUMENTS) },
    { Name: 'CrossSiteScripting_BODY', Label: 'CrossSiteScripting_Body', Statement: xss(BODY) },
    { Name: 'CrossSiteScripting_URIPATH', Label: 'CrossSiteScripting_URIPath', Statement: xss(URI_PATH) },
  ],
};
