import { decodeHtmlEntities } from './html-entities.ts';

/**
 * Cross-site scripting detector, in the spirit of libinjection's HTML5 tokenizer:
 * the input is read as an HTML parser would read it, starting in each context an
 * application may paste it into (element content, or inside a double-, single-,
 * back-quoted or unquoted attribute value), and the resulting tags and attributes are
 * judged, never the raw text. Each rule below names an attack class and a sample.
 * Script without markup is judged by its JavaScript tokens (calls of code globals, DOM
 * access, templates). TODO: AWS does not publish how XssMatchStatement detects;
 * palisade's verdicts can differ from AWS's on inputs outside these classes.
 */
export interface XssVerdict {
  matched: boolean;
  rule?: string;
  reason?: string;
}

/**
 * Elements that run, load or style active content by themselves: `<script>`,
 * `<iframe src=//x>`, `<style>@import'//x'</style>`, `<link rel=stylesheet href=...>`,
 * IE's `<xml>` data islands and `<?import>`, and the XML Events `<handler>`/`<listener>`.
 */
const ACTIVE_TAGS = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta', 'link', 'style', 'xml', 'import',
  'handler', 'listener', 'vmlframe', 'isindex', 'template', 'noscript', 'xss',
]);
/** Tag-name prefixes whose whole family can run script: `<svg onload>`, `<svg:script>`, `<xsl:value-of>`. */
const ACTIVE_TAG_PREFIXES = ['svg', 'xsl'];
/** Attributes whose value the browser loads or runs as a URL (HTML, SVG/SMIL animation, IE extensions). */
const URL_ATTRIBUTES = new Set([
  'href', 'src', 'action', 'formaction', 'data', 'background', 'poster', 'srcdoc', 'dynsrc', 'lowsrc', 'codebase', 'code',
  'archive', 'classid', 'folder', 'values', 'from', 'to', 'by', 'ping', 'cite', 'longdesc', 'manifest', 'icon', 'filter',
  'handler', 'xlink:href', 'xml:base',
]);
/** Schemes that run script, or a document, when loaded: `javascript:alert(1)`, `data:text/html,<script>...`. */
const SCRIPT_SCHEMES = ['javascript:', 'vbscript:', 'livescript:', 'mocha:', 'data:'];
/** `data:` images are inert in an `<img>` and common in real pages; SVG images are not inert. */
const INERT_DATA = /^data:image\/(?:png|gif|jpe?g|webp|bmp|x-icon)[;,]/;
/** IE data binding attributes, which render fetched data as HTML: `<span datasrc=#x datafld=b dataformatas=html>`. */
const DATA_BINDING_ATTRIBUTES = new Set(['datasrc', 'datafld', 'dataformatas']);
/** CSS that runs code or loads a behaviour: `expression(...)`, `behavior:url(x.htc)`, `-moz-binding`, `url(javascript:...)`, `@import`. */
const ACTIVE_CSS = /expression\s*\(|behaviou?r\s*:|-moz-binding|binding\s*:|(?:javascript|vbscript)\s*:|@import/;
/** Ordinary JavaScript in an event handler has a call, assignment, template, member access or `javascript:` label. */
const CODE_LIKE = /[(`=.[]|javascript:/i;

interface Attribute {
  name: string;
  value: string;
  /** True when the attribute had `=` and a value. */
  hasValue: boolean;
  /** The character before the name (empty at the start of the input): whitespace, a quote or `/`. */
  separator: string;
}

interface Tag {
  name: string;
  attributes: Attribute[];
  end: number;
}

type AttributeContext = 'double' | 'single' | 'back' | 'unquoted' | 'attribute list';

export function detectXss(input: string): XssVerdict {
  // Browsers and some back ends drop NUL bytes: `<scr\0ipt>` reads as `<script>`.
  // Every rule needs markup, an attribute, a scheme, an entity, a member access, a call or template, CSS or
  // UTF-7 punctuation, so text without these characters is settled here.
  if (!XSS_SIGNIFICANT.test(input)) return { matched: false };
  const text = input.includes('\0') ? input.replace(/\0/g, '') : input;
  const verdict = judgeText(text);
  if (verdict || /^[\x00-\x7f]*$/.test(text)) return verdict ?? { matched: false };
  // Back ends that fold Unicode compatibility forms (NFKC) turn `＜script＞` into `<script>`.
  return judgeText(text.normalize('NFKC')) ?? { matched: false };
}

const XSS_SIGNIFICANT = /[<=:.&+(\[\\`-]|[^\x00-\x7f]/;

function judgeText(text: string): XssVerdict | undefined {
  // `javascript:alert(1)` or `ja&Tab;vascript:alert(1)` as a whole value ends up in an href or src.
  if (isScriptUrl(decodeHtmlEntities(text), false)) return { matched: true, rule: 'script-url', reason: 'value is a script URL' };
  // `x:url(javascript:alert(1))`, `-moz-binding:url(//x/x.xml#x)`: CSS that runs script, for a value written into a stylesheet.
  // The scheme may end the input (`x:url(javascript`), as when the rest of the URL comes from another field.
  if (/url\(["']?(?:javascript|vbscript)(?::|$)|-moz-binding/.test(normalizeCss(text).replace(/\s+/g, ''))) {
    return { matched: true, rule: 'style-script', reason: 'CSS that loads script' };
  }
  return scanMarkup(text) ?? scanAttributeContexts(text) ?? scanUtf7Markup(text) ?? judgeScript(text);
}

/** Judge `+ADw-script+AD4-`, which is `<script>` in UTF-7, a charset old browsers sniffed from pages without one. */
function scanUtf7Markup(text: string): XssVerdict | undefined {
  return /\+[A-Za-z0-9+/]{3,}-/.test(text) ? scanMarkup(decodeUtf7(text)) : undefined;
}

/** Decode the `+<modified base64>-` runs of UTF-7 (RFC 2152) as UTF-16BE. */
function decodeUtf7(text: string): string {
  return text.replace(/\+([A-Za-z0-9+/]+)-?/g, (_, run: string) => {
    const bytes = Buffer.from(run, 'base64');
    let decoded = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) decoded += String.fromCharCode(bytes.readUInt16BE(i));
    return decoded;
  });
}

/** Objects whose members read or steer the page: `document.cookie`, `window.location`. */
const DOM_OBJECTS = new Set(['document', 'window', 'self', 'top', 'parent', 'frames', 'opener', 'location']);
/** Members that read secrets, navigate, or write markup or script into the page. */
const DOM_MEMBERS = new Set([
  'cookie', 'domain', 'location', 'write', 'writeln', 'createelement', 'body', 'referrer', 'url', 'documenturi', 'href',
  'localstorage', 'sessionstorage', 'eval', 'settimeout', 'setinterval', 'execscript', 'open', 'appendchild', 'innerhtml',
  'outerhtml', 'insertadjacenthtml', 'replace', 'assign', 'hash', 'search', 'name',
]);
/** Members that write markup whatever object they are called on: `x.innerHTML = ...`. */
const MARKUP_SINKS = new Set(['innerhtml', 'outerhtml', 'insertadjacenthtml']);

/**
 * Script sent without markup, for an application that writes the value into a script
 * block or handler: a member access on the DOM's global objects or a markup sink
 * (`document.cookie`, `window.location='//x'`, `el.innerHTML=...`, `self["document"]["cookie"]`), a call of a
 * global that runs or decodes code, JSFuck, or a template expression. Identifiers are read
 * as JavaScript tokens, so `documents.cookies` or `the document. Cookie` do not count.
 */
function judgeScript(input: string): XssVerdict | undefined {
  // JavaScript ignores comments between tokens.
  const code = input.includes('/*') ? input.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, ' ') : input;
  // `window["x"]` names a member by a string, which evades filters on `window.x`. Prose does not index a global with a string.
  const computed = GLOBAL_STRING_INDEX.exec(code);
  if (computed) return { matched: true, rule: 'dom-access', reason: `script access to a member of '${computed[1]}' by name` };
  // `self["document"]` is `self.document`.
  const text = code.replace(/\[\s*(["'])([A-Za-z_$][\w$]*)\1\s*\]/g, '.$2');
  // Identifiers are read in one linear pass; a regular expression with `\w*` before `.` backtracks quadratically on long words.
  const identifiers = [...text.matchAll(/[A-Za-z_$][\w$]*/g)];
  return judgeMemberAccess(text, identifiers) ?? judgeCodeCalls(text, identifiers) ?? judgeJsFuck(text) ?? judgeTemplateExpression(text);
}

/** A global object indexed with a quoted name: `self["alert"]`, `top['x']`, `(document)["cookie"]`. */
const GLOBAL_STRING_INDEX = /\b(document|window|self|top|parent|frames|globalThis)\s*\)?\s*\[\s*["'`]/;

type Identifier = RegExpMatchArray;

function judgeMemberAccess(text: string, identifiers: Identifier[]): XssVerdict | undefined {
  for (let i = 1; i < identifiers.length; i++) {
    const [before, after] = [identifiers[i - 1], identifiers[i]];
    const between = text.slice(before.index! + before[0].length, after.index);
    // A word, a period and a space is the end of a sentence (`the document. Cookie`), not a member access.
    if (!/^\s*\.\s*$/.test(between) || /^\.\s/.test(between)) continue;
    const [object, property] = [before[0].toLowerCase(), after[0].toLowerCase()];
    if ((DOM_OBJECTS.has(object) && DOM_MEMBERS.has(property)) || MARKUP_SINKS.has(property)) {
      return { matched: true, rule: 'dom-access', reason: `script access to '${before[0]}.${after[0]}'` };
    }
  }
  return undefined;
}

/**
 * Globals that compile a string as code, decode a hidden payload, or open the dialog
 * attackers use as proof (`alert(1)`). JavaScript is case-sensitive, so `Confirm (yes)` is not a call.
 */
const CODE_GLOBALS = new Set(['eval', 'setTimeout', 'setInterval', 'execScript', 'Function', 'atob', 'btoa', 'alert', 'prompt', 'confirm']);
/**
 * Globals that are also English words. Code puts `(` right after such a name, at the start of an
 * operand: `;alert(1)`, `-confirm()-`. Prose puts a space or a word around it: `alert (high)`, `to confirm(ed)`.
 */
const WORD_GLOBALS = new Set(['alert', 'prompt', 'confirm', 'Function']);

/**
 * Calls without markup: a code global called with parentheses or a template
 * (`eval('2+2')`, `setInterval(f, 1)`, `alert`1``), and any member called with a
 * template (`[].sort.call`${alert}1``), which runs a function with no parentheses.
 * A backtick that closes an inline code span (`` `a.b` ``) follows an odd number of backticks, so it is no call.
 */
function judgeCodeCalls(text: string, identifiers: Identifier[]): XssVerdict | undefined {
  let backticks = 0;
  let counted = 0;
  for (const identifier of identifiers) {
    const [name, end] = [identifier[0], identifier.index! + identifier[0].length];
    const next = text.slice(end, end + 8);
    const call = WORD_GLOBALS.has(name) ? next.startsWith('(') && startsOperand(text, identifier.index!) : /^\s*\(/.test(next);
    if (CODE_GLOBALS.has(name) && !isMemberName(text, identifier.index!, 'property') && call) {
      return { matched: true, rule: 'script-call', reason: `call of '${name}'` };
    }
    if (!/^\s*`/.test(next)) continue;
    backticks += countOf(text.slice(counted, end), '`');
    counted = end;
    if (backticks % 2 === 0 && (CODE_GLOBALS.has(name) || isMemberName(text, identifier.index!, 'member'))) {
      return { matched: true, rule: 'script-call', reason: `template call of '${name}'` };
    }
  }
  return undefined;
}

/**
 * True when the identifier at `index` follows a `.` (`x.eval`, `[] . sort`). For `'property'`, only a
 * non-global member counts, so `window.eval(` is still a call of `eval`.
 */
function isMemberName(text: string, index: number, kind: 'property' | 'member'): boolean {
  const before = /([\w$\]\)]+)\s*\.\s*$/.exec(text.slice(Math.max(0, index - 24), index));
  if (!before) return false;
  return kind === 'member' || !DOM_OBJECTS.has(before[1]);
}

/** True when the identifier at `index` starts the input or follows an operator, an opening bracket or `new`. */
function startsOperand(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 16), index);
  return OPERAND_START.test(before) || (index <= 16 && before.trim() === '');
}

const OPERAND_START = /(?:[;{}(,=+\-*/%|&!?:[<>~^]|\bnew)\s*$/;

function countOf(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) count++;
  return count;
}

/**
 * Judge JSFuck, which writes any script with `[ ] ( ) ! +` alone (`!![]` is `true`, `+[]` is `0`).
 * Text made of nothing but these characters, with an array negated, added or indexed, is that code.
 */
function judgeJsFuck(text: string): XssVerdict | undefined {
  if (!/^[\s[\]()!+]+$/.test(text) || !/[!+]\s*\[\s*\]|\]\s*\[/.test(text)) return undefined;
  return { matched: true, rule: 'script-call', reason: 'JSFuck expression' };
}

/**
 * Judge client-side template expressions that reach the `Function` constructor or call a
 * function: `{{constructor.constructor('alert(1)')()}}`, which AngularJS-style templates
 * evaluate. A plain placeholder such as `{{ name }}` has neither.
 */
function judgeTemplateExpression(text: string): XssVerdict | undefined {
  for (const [, body] of text.matchAll(/\{\{([^{}]{0,1000})\}\}/g)) {
    if (/constructor|[\w$)\]]\s*\(/.test(body)) return { matched: true, rule: 'script-call', reason: 'template expression with a call' };
  }
  return undefined;
}

/**
 * Judge every `<` as the start of markup. Reading from each `<` rather than only
 * after the previous tag covers parser differentials, where one parser sees an
 * attribute value or comment and another a new tag: `<!--<img src="--><img src=x onerror=alert(1)>`.
 */
function scanMarkup(text: string): XssVerdict | undefined {
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    const verdict = judgeDeclaration(text, i) ?? judgeTagAt(text, i);
    if (verdict) return verdict;
  }
  return undefined;
}

function judgeTagAt(text: string, start: number): XssVerdict | undefined {
  const tag = readTag(text, start);
  return tag ? judgeTag(tag) : undefined;
}

/**
 * Markup declarations that load or define active content: `<!ENTITY x SYSTEM "http://...">`
 * (XML external entities), `<?xml-stylesheet href=...?>`, `<?import implementation=...>`, IE's
 * `<?xml:namespace ns="urn:schemas-microsoft-com:time">` (enables behaviours),
 * and IE conditional comments `<!--[if IE]><script>...`.
 */
function judgeDeclaration(text: string, start: number): XssVerdict | undefined {
  const head = text.slice(start, start + 40).toLowerCase();
  if (/^<!entity\s/.test(head) || /^<!doctype[^>]*\[\s*<!entity/.test(text.slice(start, start + 400).toLowerCase())) {
    return { matched: true, rule: 'xml-declaration', reason: 'XML entity declaration' };
  }
  if (/^<\?(?:xml-stylesheet|import|xml:namespace)\b/.test(head)) return { matched: true, rule: 'xml-declaration', reason: 'XML processing instruction that loads content' };
  if (/^<!--\s*\[if\b/.test(head)) return { matched: true, rule: 'xml-declaration', reason: 'conditional comment' };
  return undefined;
}

/**
 * Read the input as the rest of an attribute value the application opened, in each
 * quoting style: `" onmouseover="alert(1)`, `' onfocus=alert(1) autofocus '`,
 * `x onerror=alert(1)>`. What follows the closing quote is read as more attributes.
 */
function scanAttributeContexts(text: string): XssVerdict | undefined {
  const contexts: [AttributeContext, string][] = [['double', '"'], ['single', "'"], ['back', '`'], ['unquoted', ' '], ['attribute list', '']];
  for (const [context, quote] of contexts) {
    // In an attribute list the input is read from its first character: `onmouseover=alert(1)`.
    let close = -1;
    if (context === 'unquoted') close = text.search(/[\s]/);
    else if (context !== 'attribute list') close = text.indexOf(quote);
    if (close < 0 && context !== 'attribute list') continue;
    const attributes = readAttributes(text, close + 1).attributes;
    const verdict = judgeAttributes('', attributes, true);
    if (verdict) return { ...verdict, reason: `${verdict.reason} in ${context === 'attribute list' ? 'an attribute list' : `the ${context} attribute value context`}` };
  }
  return undefined;
}

function judgeTag(tag: Tag): XssVerdict | undefined {
  // `<script>alert(1)</script>`, `<x:script xmlns:x="http://www.w3.org/1999/xhtml">`, `<IFRAME SRC=//x>`
  const local = tag.name.includes(':') ? tag.name.slice(tag.name.lastIndexOf(':') + 1) : tag.name;
  if (ACTIVE_TAGS.has(local) || ACTIVE_TAG_PREFIXES.some((prefix) => tag.name.startsWith(prefix))) {
    return { matched: true, rule: 'active-tag', reason: `<${tag.name}> tag` };
  }
  return judgeAttributes(tag.name, tag.attributes, false);
}

function judgeAttributes(tagName: string, attributes: Attribute[], outsideTag: boolean): XssVerdict | undefined {
  const where = tagName ? ` on <${tagName}>` : '';
  for (const attribute of attributes) {
    const local = attribute.name.includes(':') && !attribute.name.startsWith('xlink:') ? attribute.name.slice(attribute.name.indexOf(':') + 1) : attribute.name;
    const value = decodeHtmlEntities(attribute.value);
    // `<img src=x onerror=alert(1)>`, `<svg/onload=alert(1)>`; outside a tag the value must look like code, so `one=two` stays clean.
    if (/^on[a-z]{3,}$/.test(local) && (!outsideTag || isInjectedHandler(local, attribute, value))) {
      return { matched: true, rule: 'event-handler', reason: `event handler attribute '${attribute.name}'${where}` };
    }
    // `s" style=x:expression(alert(1))`: a style attribute injected after a closed value is judged like one in a tag.
    if (local === 'style' && isActiveCss(value, !outsideTag)) {
      return { matched: true, rule: 'style-script', reason: `script, behaviour or injected rules in a style attribute${where}` };
    }
    if (outsideTag) continue;
    // `<a href="javascript:alert(1)">`, `<a href=" &#14; javascript:alert(1)">`, `<set attributeName=href to=javascript:alert(1)>`
    if (URL_ATTRIBUTES.has(attribute.name) || URL_ATTRIBUTES.has(local)) {
      if (isScriptUrl(value, true)) return { matched: true, rule: 'script-url', reason: `script URL in attribute '${attribute.name}'${where}` };
    }
    // `<math><a xlink:href="//x/y.js">`: XLink links, which SVG and MathML follow and plain HTML never uses.
    if (attribute.name === 'xlink:href' && attribute.hasValue) {
      return { matched: true, rule: 'script-url', reason: `XLink link in attribute '${attribute.name}'${where}` };
    }
    // `<set attributeName="onmouseover" to="alert(1)">`: SVG animation that writes an event handler or link.
    if (local === 'attributename' && /^(?:on|(?:xlink:)?href$|innerhtml$)/.test(value.trim().toLowerCase())) {
      return { matched: true, rule: 'animation-attribute', reason: `animation of attribute '${value.trim()}'${where}` };
    }
    // `<span datasrc=#x datafld=b dataformatas=html>`, `<x ev:event="load" ev:handler="#x">` (XML Events)
    if (DATA_BINDING_ATTRIBUTES.has(local) || (attribute.name !== local && local === 'event')) {
      return { matched: true, rule: 'data-binding', reason: `attribute '${attribute.name}' binds data or script${where}` };
    }
  }
  return undefined;
}

/**
 * Event names of HTML, SVG and legacy IE whose `on` attribute an injection sets
 * (`onerror` for `error`). Words that merely start with `on` name no event (`online` would be
 * the event `line`), so `status online=yes` stays clean.
 */
const EVENT_NAMES = new Set([
  'abort', 'activate', 'afterprint', 'animationend', 'animationiteration', 'animationstart', 'auxclick', 'beforeactivate',
  'beforecopy', 'beforecut', 'beforeinput', 'beforepaste', 'beforeprint', 'beforeunload', 'begin', 'blur', 'bounce',
  'canplay', 'canplaythrough', 'change', 'click', 'close', 'contextmenu', 'copy', 'cuechange', 'cut', 'dblclick', 'drag',
  'dragend', 'dragenter', 'dragleave', 'dragover', 'dragstart', 'drop', 'durationchange', 'end', 'ended', 'error',
  'filterchange', 'finish', 'focus', 'focusin', 'focusout', 'formchange', 'forminput', 'hashchange', 'help', 'input',
  'invalid', 'keydown', 'keypress', 'keyup', 'load', 'loadeddata', 'loadedmetadata', 'loadend', 'loadstart', 'message',
  'mousedown', 'mouseenter', 'mouseleave', 'mousemove', 'mouseout', 'mouseover', 'mouseup', 'mousewheel', 'offline',
  'online', 'pagehide', 'pageshow', 'paste', 'pause', 'play', 'playing', 'pointerdown', 'pointerenter', 'pointerleave',
  'pointermove', 'pointerout', 'pointerover', 'pointerup', 'popstate', 'progress', 'propertychange', 'ratechange',
  'readystatechange', 'repeat', 'reset', 'resize', 'scroll', 'scrollend', 'search', 'seeked', 'seeking', 'select',
  'selectionchange', 'selectstart', 'show', 'start', 'stalled', 'storage', 'submit', 'suspend', 'timeupdate', 'toggle',
  'touchend', 'touchmove', 'touchstart', 'transitionend', 'unload', 'volumechange', 'waiting', 'wheel', 'zoom',
]);

/**
 * Return true when an `on...` attribute written after a closed value is an injected handler.
 * Its value looks like code (`x" onfocus=alert(1)`), or its name is a real event's (`" onerror=f`).
 * Or its value is empty after a space or quote, a probe of whether `on...=` survives (`" onanything=`).
 * An empty value after `/` is a base64 or path tail (`.../onafe=`), not a probe.
 * NOTE: the longest event names browsers fire are about 40 letters (estimate), so longer names count as words.
 */
function isInjectedHandler(name: string, attribute: Attribute, value: string): boolean {
  if (!attribute.hasValue) return false;
  if (CODE_LIKE.test(value) || EVENT_NAMES.has(name.slice(2))) return true;
  return value.trim() === '' && name.length <= 42 && /^[\s"'`]$/.test(attribute.separator);
}

/**
 * True for inline CSS that runs code or loads a behaviour (`background:url(javascript:...)`,
 * `x:expr/**\/ession(alert(1))`), for inline CSS with block or selector syntax (`{ } [ ]`),
 * which a declaration list never needs and injected rules use to break out of it
 * (`font-family:foo}color=red`).
 * In a tag's `style` attribute (`inTag`), a `url()` fetch counts too (`<div style=background:url(//x/x.svg)>`),
 * because it loads attacker content or leaks the page. A bare `style=...url(...)` field value is a stored setting.
 */
function isActiveCss(value: string, inTag: boolean): boolean {
  const css = normalizeCss(value);
  return ACTIVE_CSS.test(css) || /[{}[\]]/.test(css) || (inTag && /url\s*\(/.test(css));
}

/**
 * Drop CSS comments, backslash escapes (`\65` is `e`) and whitespace that CSS parsers ignore, and lowercase.
 * Strings are kept whole, since `/*` inside a string opens no comment: in `a:b("/*");x:ex/**\/pression(...)`
 * only the second `/*` hides anything.
 */
function normalizeCss(value: string): string {
  return value
    .replace(CSS_STRING_OR_COMMENT, (token) => (token.startsWith('/*') ? '' : token))
    .replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_, hex: string) => String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)))
    .replace(/\\(.)/g, '$1')
    .toLowerCase();
}

const CSS_STRING_OR_COMMENT = /"(?:[^"\\\n]|\\[\s\S])*"|'(?:[^'\\\n]|\\[\s\S])*'|\/\*[\s\S]*?(?:\*\/|$)/g;

/**
 * True when `value`, once the quotes, whitespace and control characters browsers skip
 * are dropped, starts with a script scheme (`java\tscript:`). A `data:` URL counts only
 * inside an attribute, and not for inert image types.
 */
function isScriptUrl(value: string, inAttribute: boolean): boolean {
  const compact = value.replace(/[\u0000-\u0020"'`\u00a0]/g, '').toLowerCase();
  for (const scheme of SCRIPT_SCHEMES) {
    if (!compact.startsWith(scheme)) continue;
    if (scheme !== 'data:') return true;
    return inAttribute && !INERT_DATA.test(compact);
  }
  return false;
}

/** Read a start or end tag at `start` (`<name attr=value ...>`); undefined when `<` does not open one (`a < b`, `I <3 you`). */
function readTag(text: string, start: number): Tag | undefined {
  let i = start + 1;
  if (text[i] === '/') i++;
  // A tag with an empty namespace prefix (`<:vmlframe>`) is judged by the name after the colon, as `<v:vmlframe>` is.
  if (!/[A-Za-z]/.test(text[i] ?? '') && !(text[i] === ':' && /[A-Za-z]/.test(text[i + 1] ?? ''))) return undefined;
  const nameStart = i;
  while (i < text.length && /[A-Za-z0-9:_.-]/.test(text[i])) i++;
  const name = text.slice(nameStart, i).toLowerCase();
  // `<script\x0c>` and `<img/src=x>` end the name; anything else glued on (`<3a`) is not a tag.
  if (i < text.length && !/[\s/>]/.test(text[i])) return undefined;
  const { attributes, end } = readAttributes(text, i);
  return { name, attributes, end };
}

/** Read attributes from `start` up to the `>` closing the tag (or the end of the input). */
function readAttributes(text: string, start: number): { attributes: Attribute[]; end: number } {
  const attributes: Attribute[] = [];
  let i = start;
  while (i < text.length && text[i] !== '>' && attributes.length < 64) {
    // Browsers treat `/`, whitespace and stray quotes alike between attributes: `<svg/onload=...>`.
    if (/[\s/"'`]/.test(text[i])) {
      i++;
      continue;
    }
    const attribute = readAttribute(text, i);
    attributes.push({ ...attribute.attribute, separator: text[i - 1] ?? '' });
    i = attribute.end;
  }
  return { attributes, end: i };
}

function readAttribute(text: string, start: number): { attribute: Omit<Attribute, 'separator'>; end: number } {
  // HTML allows `=` as the first character of a name; the name otherwise ends at whitespace, `/`, `>` or `=`.
  const i = scanTo(text, start + 1, NAME_END);
  const name = text.slice(start, i).toLowerCase();
  let j = i;
  while (/\s/.test(text[j] ?? '')) j++;
  if (text[j] !== '=') return { attribute: { name, value: '', hasValue: false }, end: i };
  j++;
  while (/\s/.test(text[j] ?? '')) j++;
  const quote = text[j];
  // IE also takes a backtick as an attribute quote: <img src=`javascript:alert(1)`>.
  if (quote === '"' || quote === "'" || quote === '`') {
    const close = text.indexOf(quote, j + 1);
    const end = close < 0 ? text.length : close;
    return { attribute: { name, value: text.slice(j + 1, end), hasValue: true }, end: end + 1 };
  }
  const valueEnd = scanTo(text, j, UNQUOTED_VALUE_END);
  return { attribute: { name, value: text.slice(j, valueEnd), hasValue: true }, end: valueEnd };
}

const NAME_END = /[\s/>=]/g;
const UNQUOTED_VALUE_END = /[\s>]/g;

/** First index at or after `from` that `pattern` (a global regex) matches, or the text length: a native scan, linear on long values. */
function scanTo(text: string, from: number, pattern: RegExp): number {
  pattern.lastIndex = from;
  const match = pattern.exec(text);
  return match ? match.index : text.length;
}
