import { createHash } from 'node:crypto';
import { percentDecode } from './request.ts';

/**
 * AWS WAF text transformations ("Text transformation options", AWS WAF
 * Developer Guide), applied to binary strings. The names are AWS's
 * TextTransformationType values.
 */
export const TEXT_TRANSFORMATIONS: Record<string, (value: string) => string> = {
  NONE: (value) => value,
  COMPRESS_WHITE_SPACE: (value) => value.replace(/[ \t\n\r\f\v\u00a0]+/g, ' '),
  HTML_ENTITY_DECODE: (value) => (value.includes('&') ? htmlEntityDecode(value) : value),
  LOWERCASE: lowercaseAscii,
  CMD_LINE: cmdLine,
  URL_DECODE: (value) => percentDecode(value, true),
  URL_DECODE_UNI: urlDecodeUni,
  BASE64_DECODE: (value) => (/^[A-Za-z0-9+/]*={0,2}$/.test(value) ? Buffer.from(value, 'base64').toString('latin1') : value),
  BASE64_DECODE_EXT: (value) => Buffer.from(value.replace(/[^A-Za-z0-9+/]/g, ''), 'base64').toString('latin1'),
  HEX_DECODE: (value) => value.replace(/([0-9a-fA-F]{2})/g, (pair: string) => String.fromCharCode(parseInt(pair, 16))),
  MD5: (value) => createHash('md5').update(Buffer.from(value, 'latin1')).digest().toString('latin1'),
  REPLACE_COMMENTS: (value) => value.replace(/\/\*[\s\S]*?(\*\/|$)/g, ' '),
  ESCAPE_SEQ_DECODE: escapeSequenceDecode,
  SQL_HEX_DECODE: (value) => value.replace(/0x((?:[0-9a-fA-F]{2})+)/g, (_, hex: string) => Buffer.from(hex, 'hex').toString('latin1')),
  CSS_DECODE: cssDecode,
  JS_DECODE: jsDecode,
  NORMALIZE_PATH: normalizePath,
  NORMALIZE_PATH_WIN: (value) => normalizePath(value.replace(/\\/g, '/')),
  REMOVE_NULLS: (value) => value.replace(/\0/g, ''),
  REPLACE_NULLS: (value) => value.replace(/\0/g, ' '),
  UTF8_TO_UNICODE: utf8ToUnicode,
};

export interface TextTransformation {
  Priority: number;
  Type: string;
}

/** Apply transformations in ascending Priority, as AWS does. */
export function applyTransformations(value: string, transformations: TextTransformation[]): string {
  let current = value;
  for (const transformation of byPriority(transformations)) current = TEXT_TRANSFORMATIONS[transformation.Type](current);
  return current;
}

const sortedTransformations = new WeakMap<TextTransformation[], TextTransformation[]>();

/** Transformations in ascending Priority, sorted once per statement rather than per value. */
function byPriority(transformations: TextTransformation[]): TextTransformation[] {
  let sorted = sortedTransformations.get(transformations);
  if (!sorted) {
    sorted = [...transformations].sort((a, b) => a.Priority - b.Priority);
    sortedTransformations.set(transformations, sorted);
  }
  return sorted;
}

/** Lower-case ASCII letters only: other bytes of the binary string are parts of UTF-8 sequences. */
function lowercaseAscii(value: string): string {
  return /[A-Z]/.test(value) ? value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : value;
}

function urlDecodeUni(value: string): string {
  if (!value.includes('%') && !value.includes('+')) return value;
  return percentDecode(value.replace(/%u([0-9a-fA-F]{4})/g, (_, hex: string) => unicodeToBinary(parseInt(hex, 16))), true);
}

function unicodeToBinary(codePoint: number): string {
  return Buffer.from(String.fromCodePoint(codePoint), 'utf8').toString('latin1');
}

const NAMED_ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', apos: "'" };

function htmlEntityDecode(value: string): string {
  return value.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);?/g, (entity, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return unicodeToBinary(parseInt(body.slice(2), 16) % 0x110000);
    if (body.startsWith('#')) return unicodeToBinary(parseInt(body.slice(1), 10) % 0x110000);
    const named = NAMED_ENTITIES[body.toLowerCase()];
    return named ?? entity;
  });
}

/** CMD_LINE as AWS documents it: delete `\ " ' ^`, delete spaces before `/` and `(`, `,` and `;` to space, collapse spaces, lowercase. */
function cmdLine(value: string): string {
  return value
    .replace(/[\\"'^]/g, '')
    .replace(/\s+(?=[/(])/g, '')
    .replace(/[,;]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

const C_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '?': '?', "'": "'", '"': '"' };

function escapeSequenceDecode(value: string): string {
  return value.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (whole, body: string) => {
    if (body.startsWith('x') && body.length === 3) return String.fromCharCode(parseInt(body.slice(1), 16));
    if (/^[0-7]+$/.test(body)) return String.fromCharCode(parseInt(body, 8) & 0xff);
    return C_ESCAPES[body] ?? whole;
  });
}

function cssDecode(value: string): string {
  return value.replace(/\\([0-9a-fA-F]{1,6})\s?|\\(.)/g, (_, hex: string | undefined, other: string | undefined) =>
    hex ? unicodeToBinary(parseInt(hex, 16) % 0x110000) : other === '\n' ? '' : (other ?? ''),
  );
}

function jsDecode(value: string): string {
  return value.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (whole, body: string) => {
    if (body.startsWith('u') && body.length === 5) return unicodeToBinary(parseInt(body.slice(1), 16));
    if (body.startsWith('x') && body.length === 3) return String.fromCharCode(parseInt(body.slice(1), 16));
    if (/^[0-7]+$/.test(body)) return String.fromCharCode(parseInt(body, 8) & 0xff);
    return C_ESCAPES[body] ?? body;
  });
}

/** Remove `.` and `..` segments and repeated slashes, as NORMALIZE_PATH does. */
function normalizePath(value: string): string {
  const absolute = value.startsWith('/');
  const trailing = value.endsWith('/') && value.length > 1;
  const out: string[] = [];
  for (const segment of value.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const joined = (absolute ? '/' : '') + out.join('/');
  return trailing && out.length > 0 ? joined + '/' : joined || (absolute ? '/' : '');
}

/** Replace each multi-byte UTF-8 sequence with `%uHHHH`. */
function utf8ToUnicode(value: string): string {
  const text = Buffer.from(value, 'latin1').toString('utf8');
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80 || code === 0xfffd) out += ch;
    else out += `%u${code.toString(16).padStart(4, '0')}`;
  }
  return out;
}
