import type { Statement } from '../engine/types.ts';
import type { TextTransformation } from '../engine/transformations.ts';

/** FieldToMatch shapes and statement builders shared by palisade's managed rule groups. */
export const QUERY_ARGUMENTS = { AllQueryArguments: {} };
export const QUERY_STRING = { QueryString: {} };
export const BODY = { Body: { OversizeHandling: 'CONTINUE' } };
export const URI_PATH = { UriPath: {} };
export const COOKIES = { Cookies: { MatchPattern: { All: {} }, MatchScope: 'ALL', OversizeHandling: 'CONTINUE' } };
export const HEADERS = { Headers: { MatchPattern: { All: {} }, MatchScope: 'ALL', OversizeHandling: 'CONTINUE' } };

export function header(name: string) {
  return { SingleHeader: { Name: name } };
}

/** Transformations from a list of TextTransformationType names, in the order given. */
export function transformations(...types: string[]): TextTransformation[] {
  return types.map((type, priority) => ({ Priority: priority, Type: type }));
}

/** URL-decode twice, which catches double encoding (`%252e` → `%2e` → `.`), then decode HTML entities and lower-case. */
export const DECODE_LOWER = transformations('URL_DECODE_UNI', 'URL_DECODE_UNI', 'HTML_ENTITY_DECODE', 'LOWERCASE');

/** ByteMatch CONTAINS for any of `searches`, as an OR when there are several. */
export function containsAny(fieldToMatch: object, searches: string[], textTransformations: TextTransformation[], constraint = 'CONTAINS'): Statement {
  const statements = searches.map((search) => ({
    ByteMatchStatement: {
      SearchString: Buffer.from(search, 'latin1').toString('base64'),
      FieldToMatch: fieldToMatch,
      PositionalConstraint: constraint,
      TextTransformations: textTransformations,
    },
  }));
  return statements.length === 1 ? statements[0] : { OrStatement: { Statements: statements } };
}

export function sizeOver(fieldToMatch: object, size: number): Statement {
  return { SizeConstraintStatement: { FieldToMatch: fieldToMatch, ComparisonOperator: 'GT', Size: size, TextTransformations: transformations('NONE') } };
}
