/**
 * A JSON body as the JsonBody field inspects it: every member name (key)
 * and every scalar value, with the JSON pointer of where it sits. Parsing
 * stops at the first syntax error and keeps what it read before it, because
 * AWS, without InvalidFallbackBehavior, "parses and evaluates the content
 * only up to the first parsing failure" (API_JsonBody).
 */
export interface JsonItem {
  kind: 'KEY' | 'VALUE';
  /** JSON pointer (RFC 6901) of the value; for a key, of the member's value. */
  pointer: string;
  text: string;
}

export interface ParsedJson {
  items: JsonItem[];
  valid: boolean;
}

class JsonSyntaxError extends Error {}

export function parseJsonBody(text: string): ParsedJson {
  const items: JsonItem[] = [];
  const parser = new JsonWalker(text, items);
  try {
    parser.value('');
    parser.whitespace();
    if (parser.at < text.length) throw new JsonSyntaxError('trailing content');
    return { items, valid: true };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { items, valid: false };
  }
}

/** True when `pointer` is `path` or inside it; `/` alone selects the whole document. */
export function pointerWithin(pointer: string, path: string): boolean {
  if (path === '/' || path === '') return true;
  return pointer === path || pointer.startsWith(path + '/');
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

class JsonWalker {
  at = 0;
  private depth = 0;

  constructor(private readonly text: string, private readonly items: JsonItem[]) {}

  whitespace(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) this.at++;
  }

  value(pointer: string): void {
    this.whitespace();
    const ch = this.text[this.at];
    if (ch === '{') return this.object(pointer);
    if (ch === '[') return this.array(pointer);
    if (ch === '"') return void this.items.push({ kind: 'VALUE', pointer, text: this.string() });
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.at, this.at + 64));
    if (!literal) throw new JsonSyntaxError('value expected');
    this.at += literal[0].length;
    this.items.push({ kind: 'VALUE', pointer, text: literal[0] });
  }

  private object(pointer: string): void {
    this.enter();
    this.whitespace();
    if (this.text[this.at] === '}') return this.leave();
    for (;;) {
      this.whitespace();
      if (this.text[this.at] !== '"') throw new JsonSyntaxError('member name expected');
      const name = this.string();
      const member = `${pointer}/${escapePointer(name)}`;
      this.items.push({ kind: 'KEY', pointer: member, text: name });
      this.expect(':');
      this.value(member);
      this.whitespace();
      if (this.text[this.at] === '}') return this.leave();
      this.expect(',');
    }
  }

  private array(pointer: string): void {
    this.enter();
    this.whitespace();
    if (this.text[this.at] === ']') return this.leave();
    for (let index = 0; ; index++) {
      this.value(`${pointer}/${index}`);
      this.whitespace();
      if (this.text[this.at] === ']') return this.leave();
      this.expect(',');
    }
  }

  /** Nesting deeper than this is treated as invalid JSON rather than risking the call stack. */
  private enter(): void {
    this.at++;
    if (++this.depth > 512) throw new JsonSyntaxError('nesting too deep');
  }

  private leave(): void {
    this.at++;
    this.depth--;
  }

  private expect(ch: string): void {
    this.whitespace();
    if (this.text[this.at] !== ch) throw new JsonSyntaxError(`${ch} expected`);
    this.at++;
  }

  /** A JSON string with escapes decoded; the result stays a binary string (UTF-8 bytes as latin1). */
  private string(): string {
    let out = '';
    for (this.at++; this.at < this.text.length; this.at++) {
      const ch = this.text[this.at];
      if (ch === '"') {
        this.at++;
        return out;
      }
      if (ch < ' ') throw new JsonSyntaxError('control character in string');
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const escape = this.text[++this.at];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (escape in simple) out += simple[escape];
      else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 1, this.at + 5))) {
        out += Buffer.from(String.fromCharCode(parseInt(this.text.slice(this.at + 1, this.at + 5), 16)), 'utf8').toString('latin1');
        this.at += 4;
      } else throw new JsonSyntaxError('invalid escape');
    }
    throw new JsonSyntaxError('unterminated string');
  }
}
