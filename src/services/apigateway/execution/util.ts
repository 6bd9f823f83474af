/**
 * The `$util` functions of mapping templates ("API Gateway mapping template
 * and access logging variable reference", $util variables). API Gateway runs
 * Java, so the escaping follows the Java functions it names.
 */

/**
 * Escape a string with JavaScript string rules, as Apache Commons Lang's
 * `StringEscapeUtils.escapeJavaScript` does: quotes, backslash and `/` get a
 * backslash, control characters their short or `\uXXXX` form, and characters
 * outside ASCII a `\uXXXX` escape.
 */
export function escapeJavaScript(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code > 0xffff) {
      for (const unit of [char.charCodeAt(0), char.charCodeAt(1)]) out += `\\u${unit.toString(16).toUpperCase().padStart(4, '0')}`;
      continue;
    }
    switch (char) {
      case '\b': out += '\\b'; continue;
      case '\n': out += '\\n'; continue;
      case '\t': out += '\\t'; continue;
      case '\f': out += '\\f'; continue;
      case '\r': out += '\\r'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '/': out += '\\/'; continue;
    }
    if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += char;
  }
  return out;
}

/** Encode as `application/x-www-form-urlencoded` the way Java's `URLEncoder.encode(s, "UTF-8")` does. */
export function urlEncode(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  // encodeURIComponent leaves !'()~ alone, which URLEncoder encodes; URLEncoder writes a space as +.
  return encodeURIComponent(text)
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Decode as Java's `URLDecoder.decode(s, "UTF-8")` does: `+` is a space. */
export function urlDecode(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

export function base64Encode(value: unknown): string {
  return Buffer.from(value === undefined || value === null ? '' : String(value), 'utf8').toString('base64');
}

export function base64Decode(value: unknown): string {
  return Buffer.from(value === undefined || value === null ? '' : String(value), 'base64').toString('utf8');
}
