import type { HttpRequest, HttpResponse } from './http.ts';

/** Who is calling an operation, and where. */
export interface RequestContext {
  accountId: string;
  region: string;
  requestId: string;
  /** Access key id of the verified SigV4 signer; undefined for unsigned and in-process calls. */
  accessKeyId?: string;
  /** True when another palisade service called the operation in-process. */
  internal: boolean;
}

export type Operation<I = any, O = any> = (input: I, ctx: RequestContext) => Promise<O> | O;

/**
 * One operation of a REST protocol (restJson1, restXml): where it is served and
 * how the HTTP request binds to the operation's input members.
 */
export interface RestRoute {
  method: string;
  /**
   * Path template as in the service model's `requestUri`, with labels named
   * after the input member they bind to: `/restapis/{restApiId}/authorizers`.
   * A label ending in `+` is greedy and may contain `/`.
   */
  path: string;
  operation: string;
  /** HTTP status of a successful response; the model's `responseCode`, 200 when absent. */
  successStatus?: number;
  /** Query parameter name → input member name. */
  query?: Record<string, string>;
  /** Header name (any case) → input member name. */
  headers?: Record<string, string>;
  /** Input member that receives the raw body instead of a parsed document (a blob payload). */
  rawBody?: string;
  /**
   * Serialize the output when it is not a plain JSON document (headers bound
   * from output members, blob payloads, XML). The default writes the output
   * as the JSON body.
   */
  respond?: (output: any) => HttpResponse;
  /** Parse the body when it is not JSON (XML payloads). */
  parseBody?: (body: Buffer) => Record<string, unknown>;
}

/** A data-plane or helper endpoint served on the AWS endpoint beside the APIs. */
export interface HttpRoute {
  /** Short name for traces and errors. */
  name: string;
  match(req: HttpRequest): boolean;
  handle(req: HttpRequest): Promise<HttpResponse>;
}

export type Protocol = 'json' | 'rest-json' | 'rest-xml' | 'query';

export interface ServiceDefinition {
  /** SigV4 signing name and endpoint prefix, as AWS spells it: `cognito-idp`, `secretsmanager`. */
  signingName: string;
  protocol: Protocol;
  /** awsJson: the `X-Amz-Target` prefix, e.g. `secretsmanager`, `AWSWAF_20190729`. */
  targetPrefix?: string;
  /** awsJson: `1.0` or `1.1` (sets the response content type). */
  jsonVersion?: '1.0' | '1.1';
  /** awsQuery and restXml: the XML namespace of responses. */
  xmlNamespace?: string;
  /** Operations AWS serves without SigV4 (`authtype: none` in the model). */
  unsignedOperations?: ReadonlySet<string>;
  operations: Record<string, Operation>;
  /** REST protocols: the routing table. */
  routes?: RestRoute[];
  /** Endpoints served beside the API (JWKS, data planes, runtime callbacks). */
  httpRoutes?: HttpRoute[];
  /** Called once after every service is registered and before the endpoint serves. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
