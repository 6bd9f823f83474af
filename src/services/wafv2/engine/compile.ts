import { lowestMatchingLevel, type SensitivityLevel } from '../detectors/sqli.ts';
import { detectXss } from '../detectors/xss.ts';
import { decodedSearchString } from './component-cache.ts';
import { byteMatch, compareSize, interpretStatement, matchesComponent, type EvaluationContext } from './statements.ts';
import type { InspectedRequest, SqliVerdicts } from './request.ts';
import type { Statement } from './types.ts';

/** A statement compiled to a function of the request. */
export type Matcher = (context: EvaluationContext) => boolean;

/**
 * The compiled matcher is kept on the statement object itself under a
 * symbol, so a web ACL definition compiles once however many requests it
 * evaluates, and JSON serialization of the statement is unchanged.
 */
const COMPILED = Symbol('palisade.wafv2.compiled');

export function compiledStatement(statement: Statement): Matcher {
  const cached = (statement as { [COMPILED]?: Matcher })[COMPILED];
  if (cached) return cached;
  const matcher = compileStatement(statement);
  Object.defineProperty(statement, COMPILED, { value: matcher, enumerable: false });
  return matcher;
}

/**
 * Compile the statement types whose cost matters per request into
 * closures that hold their decoded parameters. Any other type is
 * interpreted on each call.
 */
function compileStatement(statement: Statement): Matcher {
  const type = Object.keys(statement)[0];
  const body = statement[type];
  switch (type) {
    case 'AndStatement':
      return compileAnd((body.Statements as Statement[]).map(compiledStatement));
    case 'OrStatement':
      return compileSharedByteMatches(body.Statements) ?? compileOr((body.Statements as Statement[]).map(compiledStatement));
    case 'NotStatement': {
      const inner = compiledStatement(body.Statement);
      return (context) => !inner(context);
    }
    case 'ByteMatchStatement': {
      const search = decodedSearchString(body);
      const constraint = String(body.PositionalConstraint);
      const test = (value: string) => byteMatch(value, search, constraint);
      return (context) => matchesComponent(body, context, test);
    }
    case 'SqliMatchStatement': {
      const level: SensitivityLevel = body.SensitivityLevel ?? 'LOW';
      return (context) => matchesComponent(body, context, (value) => sqlInjectionIn(context.request, value, level));
    }
    case 'XssMatchStatement': {
      const test = (value: string) => detectXss(value).matched;
      return (context) => matchesComponent(body, context, test);
    }
    case 'SizeConstraintStatement': {
      const size = Number(body.Size);
      const operator = String(body.ComparisonOperator);
      const test = (value: string) => compareSize(value.length, operator, size);
      return (context) => matchesComponent(body, context, test);
    }
    default:
      return (context) => interpretStatement(statement, context);
  }
}

function compileAnd(parts: Matcher[]): Matcher {
  return (context) => {
    for (const part of parts) if (!part(context)) return false;
    return true;
  };
}

function compileOr(parts: Matcher[]): Matcher {
  return (context) => {
    for (const part of parts) if (part(context)) return true;
    return false;
  };
}

/**
 * Compile an OR of string matches that share one FieldToMatch and one
 * TextTransformations object (as palisade's managed rules build them) into
 * one test of every search string on each transformed value, so one pass
 * over the component replaces one pass per search string.
 */
function compileSharedByteMatches(statements: Statement[]): Matcher | undefined {
  const bodies = statements.map((statement) => statement.ByteMatchStatement);
  const first = bodies[0];
  if (!first || bodies.some((body) => !body || body.FieldToMatch !== first.FieldToMatch || body.TextTransformations !== first.TextTransformations)) return undefined;
  const searches = bodies.map((body) => ({ search: decodedSearchString(body), constraint: String(body.PositionalConstraint) }));
  const test = (value: string) => {
    for (const { search, constraint } of searches) if (byteMatch(value, search, constraint)) return true;
    return false;
  };
  return (context) => matchesComponent(first, context, test);
}

/**
 * Run the SQL-injection detector once per request for each value, because
 * the SQLi managed group tests the same component at LOW in two rules and
 * at HIGH in another.
 */
function sqlInjectionIn(request: InspectedRequest, value: string, level: SensitivityLevel): boolean {
  const verdicts = (request.sqliVerdicts ??= []);
  let lowest = cachedVerdict(verdicts, value);
  if (lowest === undefined) {
    lowest = lowestMatchingLevel(value) ?? 'NONE';
    verdicts.push({ value, lowest });
  }
  return lowest === 'LOW' || (lowest === 'HIGH' && level === 'HIGH');
}

/**
 * Find a value's cached verdict. A request has few values, and the
 * statements that test a component share its transformed strings, so a
 * scan by identity costs less than hashing a long body for a Map.
 */
function cachedVerdict(verdicts: SqliVerdicts, value: string): SqliVerdicts[number]['lowest'] | undefined {
  for (const verdict of verdicts) if (verdict.value === value) return verdict.lowest;
  return undefined;
}
