/**
 * Integer members of the web ACL's rule shapes. CloudFormation converts a
 * string such as a Number parameter's Ref ("0") to the schema's integer.
 */
const INTEGER_MEMBERS = new Set(['Priority', 'Limit', 'Size', 'EvaluationWindowSec', 'ResponseCode', 'ImmunityTime']);

/**
 * Convert rules written as CloudFormation's AWS::WAFv2::WebACL properties
 * to the WAFV2 JSON API's shape. CloudFormation writes
 * ByteMatchStatement.SearchString as text, while the API carries it as a
 * base64 blob, and SearchStringBase64 is already base64
 * ("AWS::WAFv2::WebACL ByteMatchStatement").
 */
export function rulesFromCloudFormation(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rulesFromCloudFormation);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (INTEGER_MEMBERS.has(key) && typeof child === 'string' && /^-?\d+$/.test(child)) {
      out[key] = Number(child);
    } else if (key === 'ByteMatchStatement' && child && typeof child === 'object') {
      const { SearchString, SearchStringBase64, ...rest } = child as Record<string, unknown>;
      const search = SearchStringBase64 !== undefined ? String(SearchStringBase64) : Buffer.from(String(SearchString ?? '')).toString('base64');
      out[key] = { ...(rulesFromCloudFormation(rest) as object), SearchString: search };
    } else {
      out[key] = rulesFromCloudFormation(child);
    }
  }
  return out;
}
