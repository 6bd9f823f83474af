import { componentValues } from './field-to-match.ts';
import type { InspectedRequest } from './request.ts';
import { applyTransformations, type TextTransformation } from './transformations.ts';
import type { Scope, Statement } from './types.ts';

/**
 * A FieldToMatch after its TextTransformations: `verdict` when the
 * component decides the statement without inspection (OversizeHandling
 * MATCH or NO_MATCH on an oversize component, JsonBody's fallback),
 * otherwise the transformed values to test.
 */
export interface TransformedComponent {
  verdict?: boolean;
  values: string[];
}

/**
 * Transformed components are kept per request on the InspectedRequest,
 * keyed by the FieldToMatch and TextTransformations objects. Statements
 * that share both objects (the managed groups' many string matches on one
 * component) transform it once.
 */
export function transformedComponent(body: Statement, request: InspectedRequest, scope: Scope): TransformedComponent {
  const byField = (request.transformed ??= new Map());
  let byTransformations = byField.get(body.FieldToMatch) as Map<object, TransformedComponent> | undefined;
  if (!byTransformations) {
    byTransformations = new Map();
    byField.set(body.FieldToMatch, byTransformations);
  }
  let transformed = byTransformations.get(body.TextTransformations);
  if (!transformed) {
    transformed = transform(body.FieldToMatch, body.TextTransformations, request, scope);
    byTransformations.set(body.TextTransformations, transformed);
  }
  return transformed;
}

function transform(fieldToMatch: Statement, transformations: TextTransformation[], request: InspectedRequest, scope: Scope): TransformedComponent {
  const component = componentValues(fieldToMatch, request, scope);
  if (component.verdict !== undefined) return { verdict: component.verdict, values: [] };
  if (component.oversize && component.oversizeHandling === 'MATCH') return { verdict: true, values: [] };
  if (component.oversize && component.oversizeHandling === 'NO_MATCH') return { verdict: false, values: [] };
  return { values: component.values.map((value) => applyTransformations(value, transformations)) };
}

const searchStrings = new WeakMap<Statement, string>();

/** Decode a ByteMatchStatement's SearchString from base64 to a binary string, once per statement. */
export function decodedSearchString(body: Statement): string {
  let search = searchStrings.get(body);
  if (search === undefined) {
    search = Buffer.from(body.SearchString, 'base64').toString('latin1');
    searchStrings.set(body, search);
  }
  return search;
}
