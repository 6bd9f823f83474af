import { parse as parseYaml, type ScalarTag, type CollectionTag, type YAMLMap, type YAMLSeq } from 'yaml';
import { AwsError } from '../../../core/errors.ts';

/** A parsed template: the JSON form, with YAML short forms expanded to their `Fn::` long forms. */
export type Template = Record<string, any>;

/** Short form tag → long form key ("Intrinsic function reference", CloudFormation User Guide). */
const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Base64: 'Fn::Base64',
  GetAZs: 'Fn::GetAZs',
  FindInMap: 'Fn::FindInMap',
  ImportValue: 'Fn::ImportValue',
  Cidr: 'Fn::Cidr',
  Transform: 'Fn::Transform',
};

function shortFormTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const [short, long] of Object.entries(SHORT_FORMS)) {
    tags.push({
      tag: `!${short}`,
      // `!GetAtt Res.Attr` splits at the first dot: attribute names such as Endpoint.Address contain dots.
      resolve: (text: string) => ({ [long]: short === 'GetAtt' ? splitGetAtt(text) : text }),
    });
    tags.push({ tag: `!${short}`, collection: 'seq', resolve: (seq: YAMLSeq) => ({ [long]: seq.toJSON() }) } as CollectionTag);
    tags.push({ tag: `!${short}`, collection: 'map', resolve: (map: YAMLMap) => ({ [long]: map.toJSON() }) } as CollectionTag);
  }
  return tags;
}

function splitGetAtt(text: string): string[] {
  const dot = text.indexOf('.');
  return dot === -1 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

const TAGS = shortFormTags();

/** Parse JSON or YAML with CloudFormation's short-form tags (`!Ref`, `!Sub` ...); a body that is neither is CloudFormation's "Template format error". */
export function parseDocument(body: string): unknown {
  const trimmed = body.trim();
  try {
    return trimmed.startsWith('{') || trimmed.startsWith('[') ? JSON.parse(trimmed) : parseYaml(body, { customTags: TAGS, uniqueKeys: true });
  } catch (error) {
    throw new AwsError('ValidationError', `Template format error: ${trimmed.startsWith('{') ? 'JSON' : 'YAML'} not well-formed. (${firstLine((error as Error).message)})`);
  }
}

/** Parse a template body in JSON or YAML. */
export function parseTemplate(body: string): Template {
  const parsed = parseDocument(body);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError('ValidationError', 'Template format error: template must be a JSON or YAML object');
  }
  const template = parsed as Template;
  if (!template.Resources || typeof template.Resources !== 'object' || Object.keys(template.Resources).length === 0) {
    throw new AwsError('ValidationError', 'Template format error: At least one Resources member must be defined.');
  }
  return template;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
