/**
 * HTML character references as a browser decodes them inside attribute values
 * (HTML Living Standard, "Character reference state"): decimal and hex references
 * with or without the closing semicolon, and the named references attackers use to
 * hide a script URL (`javascript&colon;alert&lpar;1&rpar;`).
 */
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', lpar: '(', rpar: ')', tab: '\t', newline: '\n',
  period: '.', sol: '/', bsol: '\\', comma: ',', semi: ';', excl: '!', equals: '=', plus: '+', num: '#', grave: '`',
  lsqb: '[', rsqb: ']', lcub: '{', rcub: '}', nbsp: '\u00a0', lowbar: '_', percnt: '%', dollar: '$', quest: '?',
};

export function decodeHtmlEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,10})|([a-zA-Z]{2,10}));?/g, (whole, hex?: string, decimal?: string, name?: string) => {
    if (hex !== undefined || decimal !== undefined) {
      const code = hex !== undefined ? parseInt(hex, 16) : parseInt(decimal!, 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[name!.toLowerCase()] ?? whole;
  });
}
