/**
 * Cross-site scripting detector, first version: scans the input the way an
 * HTML parser reads tags and attributes, and flags script-capable tags,
 * event-handler attributes and script URLs. It does not model every HTML
 * parser quirk that AWS's XssMatchStatement may cover.
 * TODO: palisade's XSS detection is simpler than AWS's; CSS expressions and
 * encoded entity tricks inside attribute names are not judged.
 */
export interface XssVerdict {
  matched: boolean;
  rule?: string;
  reason?: string;
}

/** Tags that run or load active content by themselves: `<script>`, `<iframe src=...>`. */
const ACTIVE_TAGS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta']);
/** Attributes whose value the browser loads or runs as a URL. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster', 'srcdoc']);
const SCRIPT_SCHEMES = ['javascript:', 'vbscript:', 'data:text/html'];

interface Tag {
  name: string;
  attributes: { name: string; value: string }[];
  end: number;
}

export function detectXss(input: string): XssVerdict {
  // `javascript:alert(1)` as a whole value ends up in an href or src.
  if (startsWithScriptScheme(input)) return { matched: true, rule: 'script-url', reason: 'value is a script URL' };
  let i = input.indexOf('<');
  while (i >= 0) {
    const tag = readTag(input, i);
    if (tag) {
      const verdict = judgeTag(tag);
      if (verdict) return verdict;
      i = input.indexOf('<', tag.end);
    } else {
      i = input.indexOf('<', i + 1);
    }
  }
  return { matched: false };
}

function judgeTag(tag: Tag): XssVerdict | undefined {
  // `<script>alert(1)</script>`, `<iframe src=//x>`
  if (ACTIVE_TAGS.has(tag.name)) return { matched: true, rule: 'active-tag', reason: `<${tag.name}> tag` };
  for (const attribute of tag.attributes) {
    // `<img src=x onerror=alert(1)>`, `<svg/onload=alert(1)>`
    if (attribute.name.startsWith('on') && attribute.name.length > 2) {
      return { matched: true, rule: 'event-handler', reason: `event handler attribute '${attribute.name}' on <${tag.name}>` };
    }
    // `<a href="javascript:alert(1)">`
    if (URL_ATTRIBUTES.has(attribute.name) && startsWithScriptScheme(attribute.value)) {
      return { matched: true, rule: 'script-url', reason: `script URL in attribute '${attribute.name}'` };
    }
    // `<div style="background:url(javascript:alert(1))">`, `<p style="x:expression(alert(1))">`
    if (attribute.name === 'style' && /expression\s*\(|javascript:/i.test(attribute.value)) {
      return { matched: true, rule: 'style-script', reason: 'script in a style attribute' };
    }
  }
  return undefined;
}

/** True when the value, ignoring the whitespace and control characters browsers skip, starts with a script scheme. */
function startsWithScriptScheme(value: string): boolean {
  const compact = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
  return SCRIPT_SCHEMES.some((scheme) => compact.startsWith(scheme));
}

/** Read a start tag at `start` (`<name attr=value ...>`); undefined when `<` does not open a tag (`a < b`). */
function readTag(input: string, start: number): Tag | undefined {
  let i = start + 1;
  if (input[i] === '/') i++;
  const nameStart = i;
  if (!/[A-Za-z]/.test(input[i] ?? '')) return undefined;
  while (i < input.length && /[A-Za-z0-9:-]/.test(input[i])) i++;
  const name = input.slice(nameStart, i).toLowerCase();
  const attributes: Tag['attributes'] = [];
  while (i < input.length && input[i] !== '>') {
    // Browsers treat `/` and whitespace alike between attributes: `<svg/onload=...>`.
    if (/[\s/]/.test(input[i])) {
      i++;
      continue;
    }
    const attribute = readAttribute(input, i);
    attributes.push(attribute.attribute);
    i = attribute.end;
  }
  return { name, attributes, end: i };
}

function readAttribute(input: string, start: number): { attribute: { name: string; value: string }; end: number } {
  let i = start;
  while (i < input.length && !/[\s/>=]/.test(input[i])) i++;
  const name = input.slice(start, i).toLowerCase();
  while (/\s/.test(input[i] ?? '')) i++;
  if (input[i] !== '=') return { attribute: { name, value: '' }, end: Math.max(i, start + 1) };
  i++;
  while (/\s/.test(input[i] ?? '')) i++;
  const quote = input[i];
  if (quote === '"' || quote === "'") {
    const close = input.indexOf(quote, i + 1);
    const end = close < 0 ? input.length : close;
    return { attribute: { name, value: input.slice(i + 1, end) }, end: end + 1 };
  }
  const valueStart = i;
  while (i < input.length && !/[\s>]/.test(input[i])) i++;
  return { attribute: { name, value: input.slice(valueStart, i) }, end: i };
}
